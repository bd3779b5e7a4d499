// Run: node --expose-gc -r @swc-node/register bench/campaign/run.ts  [--contacts 10000] [--cps 50] [--expand 100000] [--skip-dial] [--skip-expand] [--page 1000] [--overlap] [--twice]
// Needs Postgres and Redis (bash scripts/services.sh). Dials `contacts` contacts at `cps` through a worker-calls
// process against the telephony simulator (its account allows far more, so only the platform paces), then
// times the expansion of `expand` contacts into dial jobs. Prints the figures; asserts nothing.
import { cpus, loadavg } from 'node:os';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CampaignExpander, CampaignQueues, DialPacer, type ReadPage, systemClock } from '@ringflow/campaign';
import { TenantDatabase } from '@ringflow/tenancy';
import { daytimeZone } from '@ringflow/testing';
import Redis from 'ioredis';
import globalSetup from '../../test/global-setup';
import { type CampaignHarness, campaignHarness, maxInAnyWindow } from '../../test/campaigns/campaign-harness';
import { WorkerProcess } from '../../test/campaigns/worker-process';

const { values: args } = parseArgs({
  options: {
    contacts: { type: 'string', default: '10000' },
    cps: { type: 'string', default: '50' },
    expand: { type: 'string', default: '100000' },
    'skip-dial': { type: 'boolean', default: false },
    'skip-expand': { type: 'boolean', default: false },
    page: { type: 'string', default: '1000' },
    overlap: { type: 'boolean', default: false },
    twice: { type: 'boolean', default: false },
  },
});
const CONTACTS = Number(args.contacts);
const CPS = Number(args.cps);
const EXPAND = Number(args.expand);
const PAGE = Number(args.page);
const AREAS = ['202', '212', '312', '415', '646', '718', '305', '617', '206', '303', '404', '713'];
const numberOf = (i: number) => `+1${AREAS[Math.floor(i / 10_000)]}555${String(i % 10_000).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** user + system CPU seconds of a process (Linux /proc). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** user + system CPU seconds of each Postgres backend connected to the bench's database (the pool's), by pid. */
async function postgresCpu(h: CampaignHarness): Promise<Map<number, number>> {
  const { rows } = await h.owner.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  return new Map(rows.map((row: { pid: number }) => [row.pid, cpuSeconds(row.pid)]));
}

/** CPU the backends used between two samples (a backend that closed in between is not counted: a floor). */
function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  return [...after].reduce((sum, [pid, cpu]) => sum + cpu - (before.get(pid) ?? 0), 0);
}

/** The Redis server's user + system CPU seconds so far. */
async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function addContacts(h: CampaignHarness, tenantId: Parameters<CampaignHarness['contacts']['addToList']>[0], listId: string, count: number, timeZone?: string) {
  for (let i = 0; i < count; i += 5000) {
    await h.contacts.addToList(tenantId, listId, Array.from({ length: Math.min(5000, count - i) }, (_, j) => ({ phone: numberOf(i + j), timeZone })), 'bench');
  }
}

/** The simulator as a process of its own (sim-process.ts). */
async function simProcess(): Promise<{ url: string; child: ChildProcess; created(): Promise<Array<{ accountSid: string; at: number }>>; close(): Promise<void> }> {
  const file = join(tmpdir(), `campaign-bench-calls-${process.pid}.json`);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'sim-process.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return {
    url,
    child,
    async created() {
      if (existsSync(file)) unlinkSync(file);
      child.kill('SIGUSR2');
      while (!existsSync(file)) await sleep(50);
      await sleep(200);
      return JSON.parse(readFileSync(file, 'utf8'));
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      if (existsSync(file)) unlinkSync(file);
    },
  };
}

async function dialBench(h: CampaignHarness, sim: Awaited<ReturnType<typeof simProcess>>): Promise<void> {
  const worker = new WorkerProcess({ ...h.env, LOG_LEVEL: 'info' });
  try {
    const t = await h.tenant('Bench', { callsPerSecond: CPS, maxConcurrentCalls: 1000 }, 1000);
    // The worker process runs on the real clock: the contacts live where it is daytime now.
    await addContacts(h, t.tenantId, t.listId, CONTACTS, daytimeZone());
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: CPS, maxConcurrentCalls: 1000 }), 'bench');
    await worker.start();
    let peakRss = worker.rssMb() ?? 0;
    const rssAtStart = peakRss;
    const cpuAtStart = cpuSeconds(worker.pid);
    const loadAtStart = load();
    const started = Date.now();
    await h.launcher.launch(t.tenantId, campaign.id, 'bench');
    let lastReport = Date.now();
    for (;;) {
      await sleep(1000);
      peakRss = Math.max(peakRss, worker.rssMb() ?? 0);
      const status = await h.campaigns.get(t.tenantId, campaign.id).then((c) => c.status, () => 'unknown (database busy)');
      if (status === 'completed') break;
      if (Date.now() - lastReport > 20_000) {
        const p = await h.campaigns.progress(t.tenantId, campaign.id).catch(() => ({ states: { done: -1 } as Record<string, number> }));
        console.log(`  ${p.states.done ?? 0} contacts done after ${Math.round((Date.now() - started) / 1000)} s, worker rss ${Math.round(worker.rssMb() ?? 0)} MB, request latency estimate ${(await h.app.get(DialPacer).latencyEstimate(t.tenantId)).toFixed(0)} ms, load ${load()}`);
        lastReport = Date.now();
      }
      if (Date.now() - started > (CONTACTS / CPS) * 3000 + 30_000) {
        const p = await h.campaigns.progress(t.tenantId, campaign.id);
        const { rows } = await h.owner.query(`SELECT state, attempts, (SELECT string_agg(coalesce(a.status, '-') || '/' || coalesce(a.error, '-'), ',') FROM campaign_attempts a WHERE a.campaign_id = cc.campaign_id AND a.contact_id = cc.contact_id) AS tries FROM campaign_contacts cc WHERE campaign_id = $1 AND state <> 'done' LIMIT 10`, [campaign.id]);
        console.log(`  NOT COMPLETE after ${Date.now() - started} ms: states ${JSON.stringify(p.states)}; some of the rest: ${JSON.stringify(rows)}`);
        break;
      }
    }
    const total = Date.now() - started;
    const cpu = cpuSeconds(worker.pid) - cpuAtStart;
    // The simulator's clock: when each call was created (accepted) at "Twilio".
    const times = (await sim.created()).filter((c) => c.accountSid === t.account.sid).map((c) => c.at).sort((a, b) => a - b);
    const first = times[0];
    const last = times[times.length - 1];
    // Whole wall-clock seconds (as Twilio counts a second), without the partial first and last one.
    const bySecond = new Map<number, number>();
    for (const at of times) bySecond.set(Math.floor(at / 1000), (bySecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    const whole = [...bySecond.entries()].filter(([s]) => s > Math.floor(first / 1000) && s < Math.floor(last / 1000)).map(([, n]) => n);
    for (let s = Math.floor(first / 1000) + 1; s < Math.floor(last / 1000); s++) if (!bySecond.has(s)) whole.push(0);
    const mean = (times.length - 1) / ((last - first) / 1000);
    const progress = await h.campaigns.progress(t.tenantId, campaign.id);
    const { rows: refused } = await h.owner.query(`SELECT count(*)::int AS n FROM campaign_attempts WHERE campaign_id = $1 AND error LIKE 'rate-limited%'`, [campaign.id]);
    console.log(`dialed ${times.length} calls for ${CONTACTS} contacts at CPS ${CPS}: dispositions ${JSON.stringify(progress.dispositions)}; dials refused by the simulator (429): ${refused[0].n}`);
    console.log(`  highest count in any sliding one-second window: ${maxInAnyWindow(times)}; in any wall-clock second: ${Math.max(...whole, 0)} (limit ${CPS})`);
    console.log(`  median per wall-clock second: ${median(whole)} (${((median(whole) / CPS) * 100).toFixed(1)}%); mean rate first to last call: ${mean.toFixed(2)}/s (${((mean / CPS) * 100).toFixed(1)}%)`);
    console.log(`  the pacer's Calls.create latency estimate at the end: ${(await h.app.get(DialPacer).latencyEstimate(t.tenantId)).toFixed(1)} ms`);
    console.log(`  total: ${(total / 1000).toFixed(1)} s from launch to completed (ideal ${(CONTACTS / CPS).toFixed(0)} s)`);
    console.log(`  worker-calls process: rss ${rssAtStart.toFixed(0)} MB at start, ${peakRss.toFixed(0)} MB peak; cpu ${cpu.toFixed(1)} s = ${((cpu * 1000) / times.length).toFixed(2)} ms per dial`);
    console.log(`  load average (1/5/15 min, ${cpus().length} cores): ${loadAtStart} at launch, ${load()} at the end`);
    await worker.stop('SIGTERM');
  } finally {
    await worker.stop('SIGKILL');
  }
}

async function expandBench(h: CampaignHarness): Promise<void> {
  const e = await h.tenant('Expand', { callsPerSecond: CPS, maxConcurrentCalls: 1000 }, 1000);
  let started = Date.now();
  await addContacts(h, e.tenantId, e.listId, EXPAND);
  console.log(`imported ${EXPAND} contacts in ${Date.now() - started} ms`);
  const big = await h.campaigns.create(e.tenantId, h.campaignCommand(e, { callsPerSecond: CPS }), 'bench');
  // A queue namespace no worker reads: this measures expansion alone.
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const queues = new CampaignQueues({ connection: redis, namespace: `${h.namespace}-expand` });
  const expander = new CampaignExpander(h.app.get(TenantDatabase), h.campaigns, queues, systemClock, { pageSize: PAGE });
  const loadAtStart = load();
  global.gc?.();
  const heapAtStart = process.memoryUsage().heapUsed / 2 ** 20;
  const heaps: number[] = [];
  const cpuAtStart = process.cpuUsage();
  const redisCpuAtStart = await redisCpu(redis);
  // Open the pool's connections first, so the same backends are counted before and after.
  await Promise.all(Array.from({ length: 4 }, () => h.campaigns.get(e.tenantId, big.id)));
  const postgresCpuAtStart = await postgresCpu(h);
  started = Date.now();
  await h.campaigns.transition(e.tenantId, big.id, 'launch', 'bench');
  const snapshotMs = Date.now() - started;
  // Every page back to back (the worker paces them a page ahead of the dials): the time until the whole
  // audience is dial jobs. With --overlap the next page is read from Postgres while this one goes to Redis.
  const expandAll = async (): Promise<number> => {
    let enqueued = 0;
    let next: ReturnType<CampaignExpander['readPage']> | null = expander.readPage(e.tenantId, big.id, 0);
    while (next) {
      const page: ReadPage = await next;
      next = page.nextAfterSeq === null ? null : args.overlap ? expander.readPage(e.tenantId, big.id, page.nextAfterSeq) : null;
      enqueued += (await expander.enqueuePage(page)).enqueued;
      if (!args.overlap && page.nextAfterSeq !== null) next = expander.readPage(e.tenantId, big.id, page.nextAfterSeq);
      // With --expose-gc, what the expander still holds after each tenth page (flat memory), else the heap as it is.
      if (global.gc && heaps.length % 10 === 9) global.gc();
      heaps.push(process.memoryUsage().heapUsed / 2 ** 20);
    }
    return enqueued;
  };
  const enqueued = await expandAll();
  const expandMs = Date.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const redisCpuUsed = (await redisCpu(redis)) - redisCpuAtStart;
  const postgresCpuUsed = postgresCpuBetween(postgresCpuAtStart, await postgresCpu(h));
  const queued = await queues.dials.getJobCounts('delayed', 'waiting');
  console.log(`expanded ${enqueued} contacts in pages of ${PAGE}${args.overlap ? ' (next page read while this one is queued)' : ''} in ${expandMs} ms (audience snapshot ${snapshotMs} ms, then ${Math.round(enqueued / ((expandMs - snapshotMs) / 1000))} dial jobs/s); queued ${JSON.stringify(queued)}`);
  console.log(`  bench process (expander) heap: ${heapAtStart.toFixed(0)} MB before, ${Math.max(...heaps).toFixed(0)} MB peak over ${heaps.length} pages, ${heaps[heaps.length - 1].toFixed(0)} MB after; cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (${((cpu.user + cpu.system) / enqueued).toFixed(0)} µs per contact); Redis server cpu ${redisCpuUsed.toFixed(1)} s (${((redisCpuUsed * 1e6) / enqueued).toFixed(0)} µs per contact; shared with whatever else runs); Postgres backends of this database at least ${postgresCpuUsed.toFixed(1)} s (${((postgresCpuUsed * 1e6) / enqueued).toFixed(0)} µs per contact)`);
  console.log(`  load average: ${loadAtStart} at start, ${load()} at the end`);
  if (args.twice) {
    // Idempotent: the same pages again queue no job twice (every id is already there).
    const again = Date.now();
    const second = await expandAll();
    const after = await queues.dials.getJobCounts('delayed', 'waiting');
    console.log(`  expanded again: ${second} contacts read in ${Date.now() - again} ms; queued ${JSON.stringify(after)} (${after.delayed + after.waiting === queued.delayed + queued.waiting ? 'no job queued twice' : 'JOBS QUEUED TWICE'})`);
  }
  await queues.dials.obliterate({ force: true });
  await queues.close();
  redis.disconnect();
}

async function main(): Promise<void> {
  await globalSetup();
  const sim = await simProcess();
  const h = await campaignHarness({ runWorkers: false, simulator: sim });
  try {
    if (!args['skip-dial']) await dialBench(h, sim);
    if (!args['skip-expand']) await expandBench(h);
  } finally {
    await h.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
