// Run (on demand, not in CI; needs `npm run build` first, the local Postgres and Redis):
//   node -r @swc-node/register bench/soak/run.ts                    # an hour
//   SOAK_MINUTES=5 node -r @swc-node/register bench/soak/run.ts     # a short one
// Every app runs as its own process from a snapshot of dist/, on a database cloned from the tests' template and a
// BullMQ namespace of its own; two tenants made over the admin API. For SOAK_MINUTES it keeps up a steady mix of
// inbound calls (simulator -> timing relay -> gateway), inbound SMS, a new push campaign every few minutes and
// redemptions of the coupons they issue, samples each process's memory every 10 s, then drains, checks what must
// hold, prints a summary and writes it with CSVs to SOAK_OUT (default: <tmp>/ringflow-soak-<time>/). Ctrl-C stops
// the load early and still reports and cleans up. Knobs (env): see SETTINGS below.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Check, endChecks } from './checks';
import { Campaigns, InboundCalls, InboundSms, Steady, startCrmStub } from './load';
import { APPS, freePort, type SevereLine, SoakPlatform } from './platform';
import { Recorder } from './recorder';
import { type MemorySample, report } from './summary';
import { AdminClient, createSoakTenant, type SoakTenant } from './tenants';
import { TimingProxy } from './timing-proxy';

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${process.env[name]}"`);
  return value;
};
const SETTINGS = {
  minutes: num('SOAK_MINUTES', 60),
  inboundCallsPerSecond: num('SOAK_INBOUND_CALLS_PER_S', 1),
  maxCallsInFlight: num('SOAK_MAX_CALLS_IN_FLIGHT', 30),
  smsEverySeconds: num('SOAK_SMS_EVERY_S', 6),
  campaignEverySeconds: num('SOAK_CAMPAIGN_EVERY_S', 120),
  campaignContacts: num('SOAK_CAMPAIGN_CONTACTS', 40),
  campaignCps: num('SOAK_CAMPAIGN_CPS', 1),
  redemptionsPerMinute: num('SOAK_REDEEM_PER_MIN', 12),
  probeEverySeconds: num('SOAK_PROBE_EVERY_S', 180),
  sampleEverySeconds: num('SOAK_SAMPLE_EVERY_S', 10),
  drainSeconds: num('SOAK_DRAIN_S', 240),
};
/** Output at level error/fatal, or not JSON, that is known and harmless. */
const EXPECTED_SEVERE: Array<{ app: RegExp; msg: RegExp; why: string }> = [
  // Node 20 prints this once per process on stderr when undici's decompress interceptor is first used.
  { app: /.*/, msg: /ExperimentalWarning: DecompressInterceptor is experimental|^\(Use `node --trace-warnings/, why: "Node's experimental-feature warning" },
];

/** What each process did while the load ran, to turn its CPU seconds into a cost per operation. */
function operationsDuringLoad(recorder: Recorder, minutes: number): Array<{ app: string; what: string; count: number }> {
  const n = (kind: Parameters<Recorder['latencies']>[0]) => recorder.latencies(kind, 0, minutes).length;
  const webhooks = n('voice-first') + n('voice-step') + n('voice-status') + n('sms-inbound') + n('sms-status');
  return [
    { app: 'gateway', what: 'request (webhooks + redemptions)', count: webhooks + n('redemption') },
    { app: 'telephony-sim', what: 'webhook it made', count: webhooks },
    { app: 'admin-api', what: 'GraphQL request', count: n('admin-graphql') },
  ];
}

/** Which code ran: the commit, and when dist/ was built (it may hold uncommitted work of the shared tree). */
function buildInfo(): string {
  const root = join(__dirname, '..', '..');
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs', 'migrations'], { cwd: root }).toString().split('\n').filter(Boolean).length;
    const built = statSync(join(root, 'dist', 'apps', 'gateway', 'src', 'main.js')).mtime.toISOString();
    return `HEAD ${head}, dist built ${built}, ${dirty} files in apps/libs/migrations differ from HEAD now`;
  } catch (error) {
    return `build unknown (${(error as Error).message})`;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let stopRequested: () => void = () => undefined;
const stopSignal = new Promise<void>((resolve) => (stopRequested = resolve));

async function main(): Promise<void> {
  const outDir = process.env.SOAK_OUT ?? join(tmpdir(), `ringflow-soak-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(outDir, { recursive: true });
  const build = buildInfo();
  console.log(`soak: output in ${outDir} (pid ${process.pid})`);
  const recorder = new Recorder();
  const tenants: SoakTenant[] = [];
  const severe = new Map<string, { count: number; expected: boolean; sample: string }>();
  const onSevere = (line: SevereLine) => {
    const expected = EXPECTED_SEVERE.some((e) => e.app.test(line.app) && e.msg.test(line.msg));
    const key = `${line.app}${line.level === 'not-json' ? ' (not JSON)' : ''}: ${line.msg.replace(/\(node:\d+\) /, '').slice(0, 120)}`;
    const entry = severe.get(key) ?? { count: 0, expected, sample: line.line };
    entry.count++;
    severe.set(key, entry);
  };
  const [proxyPort, gatewayPort] = [await freePort(), await freePort()];
  const publicBaseUrl = `http://127.0.0.1:${proxyPort}`;
  const proxy = new TimingProxy(() => gatewayPort, recorder);
  await proxy.listen(proxyPort);
  const crm = await startCrmStub();
  const platform = new SoakPlatform({
    outDir, publicBaseUrl, gatewayPort, onSevere, tenantsIn: (line) => tenants.filter((t) => line.includes(t.tenantId)).length,
  });
  const onSignal = () => {
    console.log('soak: stopping early (signal); reporting what was measured and cleaning up; a second signal quits at once');
    process.once('SIGINT', () => process.exit(130));
    stopRequested();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const memory = new Map<string, MemorySample[]>([...APPS, 'soak-driver'].map((app) => [app, []]));
  const loads: number[] = [];
  const samplesCsv = join(outDir, 'samples.csv');
  writeFileSync(samplesCsv, 'elapsed_s,load1,process,rss_mb,heap_used_mb,cpu_s\n');
  let checks: Check[] = [];
  let loadMinutes = SETTINGS.minutes;
  let perOp: () => Array<{ app: string; what: string; count: number }> = () => [];
  try {
    const t0Start = Date.now();
    await platform.start();
    console.log(`soak: platform up in ${((Date.now() - t0Start) / 1000).toFixed(0)} s (database ${platform.database?.name}, queue namespace ${platform.namespace})`);
    const client = new AdminClient({ adminUrl: platform.adminUrl, simUrl: platform.simUrl, publicBaseUrl, gatewayUrl: platform.gatewayUrl, crmUrl: crm.url, operatorKey: platform.operatorKey }, recorder);
    const a = await createSoakTenant(client, 'A');
    tenants.push(a);
    const b = await createSoakTenant(client, 'B');
    tenants.push(b);
    console.log(`soak: tenants A ${a.tenantId}, B ${b.tenantId}; load for ${SETTINGS.minutes} min: ${JSON.stringify(SETTINGS)}`);

    const calls = new InboundCalls(client, recorder, a, b, SETTINGS.maxCallsInFlight);
    const sms = new InboundSms(client, recorder, a, b);
    const campaigns = new Campaigns(client, recorder, a, SETTINGS.campaignContacts, SETTINGS.campaignCps);
    const driverError = (what: string) => (error: Error) => recorder.error(`driver: ${what} failed`, false, error.message);
    const t0 = Date.now();
    recorder.t0 = t0;
    const sample = async () => {
      const elapsed = (Date.now() - t0) / 1000;
      const load1 = loadavg()[0];
      loads.push(load1);
      for (const app of APPS) {
        const rss = platform.rssMb(app);
        if (rss === undefined) continue;
        const heap = await platform.heapUsedMb(app);
        const cpu = platform.cpuSeconds(app);
        memory.get(app)!.push({ minute: elapsed / 60, rss, heap, cpu });
        appendFileSync(samplesCsv, `${elapsed.toFixed(0)},${load1.toFixed(2)},${app},${rss.toFixed(1)},${heap?.toFixed(1) ?? ''},${cpu?.toFixed(1) ?? ''}\n`);
      }
      const own = process.memoryUsage();
      memory.get('soak-driver')!.push({ minute: elapsed / 60, rss: own.rss / 1048576, heap: own.heapUsed / 1048576 });
      appendFileSync(samplesCsv, `${elapsed.toFixed(0)},${load1.toFixed(2)},soak-driver,${(own.rss / 1048576).toFixed(1)},${(own.heapUsed / 1048576).toFixed(1)},\n`);
    };
    const sampler = new Steady(SETTINGS.sampleEverySeconds * 1000, sample, driverError('sampling'));
    const load = [
      new Steady(1000 / SETTINGS.inboundCallsPerSecond, (n) => calls.tick(n), driverError('inbound call')),
      new Steady(SETTINGS.smsEverySeconds * 1000, (n) => sms.tick(n), driverError('inbound SMS')),
      new Steady(SETTINGS.campaignEverySeconds * 1000, (n) => campaigns.launch(n), driverError('campaign launch')),
      new Steady(SETTINGS.probeEverySeconds * 1000, () => campaigns.probe(), driverError('redemption probe')),
    ];
    const collector = new Steady(5000, () => campaigns.collect(), driverError('coupon SMS collection'));
    const redeemer = new Steady(60_000 / SETTINGS.redemptionsPerMinute, (n) => campaigns.redeemNext(n), driverError('redemption'));
    for (const s of [sampler, ...load, collector, redeemer]) s.start();
    const progress = setInterval(() => {
      const unexpected = recorder.allErrors().filter((e) => !e.expected).reduce((s, e) => s + e.count, 0);
      const rss = APPS.map((app) => `${app} ${platform.rssMb(app)?.toFixed(0) ?? '-'}`).join(', ');
      console.log(`soak: minute ${recorder.minute()}: ${[...recorder.counts].map(([k, v]) => `${k} ${v}`).join('; ')}; unexpected errors ${unexpected}; load ${loadavg()[0].toFixed(1)}; RSS MB ${rss}`);
    }, 60_000);

    await Promise.race([sleep(SETTINGS.minutes * 60_000), stopSignal]);
    clearInterval(progress);
    loadMinutes = Math.max(1, Math.round((Date.now() - t0) / 60_000));
    perOp = () => operationsDuringLoad(recorder, loadMinutes);
    console.log('soak: load done; draining (campaigns finish, coupons redeemed, funnel catches up)');
    await Promise.all(load.map((s) => s.stop()));
    await sampler.stop();
    const drainUntil = Date.now() + SETTINGS.drainSeconds * 1000;
    const stopped = { value: false };
    void stopSignal.then(() => (stopped.value = true));
    while (Date.now() < drainUntil && !stopped.value) {
      const open = await client.gql(a.adminKey, 'query { campaigns(first: 100) { edges { node { status } } } }').catch(() => undefined);
      const running = open?.campaigns.edges.filter((e: { node: { status: string } }) => e.node.status !== 'COMPLETED').length ?? 1;
      if (running === 0 && campaigns.toRedeem.length === 0) break;
      await sleep(2000);
    }
    await campaigns.collect().catch(driverError('coupon SMS collection'));
    await Promise.all([collector.stop(), redeemer.stop()]);
    for (let i = 0; i < 30; i++) {
      const { funnel } = await client.gql(a.adminKey, 'query($p: ID) { funnel(promotionId: $p) { redeemed } }', { p: a.promotionId });
      if (funnel.redeemed >= campaigns.redeemed.size) break;
      await sleep(1000);
    }
    await sleep(3000);
    checks = await endChecks({ adminDbUrl: platform.database!.adminUrl, client, a, b, calls, campaigns, mixedTenantLines: platform.mixedTenantLines });
  } catch (error) {
    console.error(`soak: ${(error as Error).stack ?? error}`);
    checks.push({ name: 'the soak ran to its end', ok: false, detail: (error as Error).message });
  } finally {
    const text = report({
      minutes: loadMinutes, totalMinutes: Math.max(1, Math.ceil(recorder.minute() + 1e-9)), perOp: perOp(), memory, recorder, checks, severe, exits: platform.exits, loads: loads.length ? loads : [loadavg()[0]],
      settings: `${Object.entries(SETTINGS).map(([k, v]) => `${k}=${v}`).join(' ')}\ncode: ${build}`,
    });
    console.log(`\n${text}`);
    writeFileSync(join(outDir, 'summary.txt'), `${text}\n`);
    writeFileSync(join(outDir, 'latency.csv'), recorder.latencyCsv());
    writeFileSync(join(outDir, 'errors.csv'), recorder.errorsCsv());
    console.log(`\nsoak: summary, samples.csv, latency.csv, errors.csv and the apps' logs are in ${outDir}`);
    await proxy.close();
    await new Promise((resolve) => crm.server.close(resolve));
    await platform.stop(tenants.map((t) => t.tenantId));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
