// Run: node -r @swc-node/register bench/campaign/run.ts  [--contacts 10000] [--cps 50] [--expand 100000] [--loose]
// Needs Postgres and Redis (bash scripts/services.sh). Dials `contacts` contacts at `cps` through a worker-calls
// process against the telephony simulator (its account allows far more, so only the platform paces), then
// times the expansion of `expand` contacts into dial jobs. Prints the figures; asserts nothing.
// --loose: PACING_STRICT=false (a dial counts from its admission only; see DialPacer).
import { parseArgs } from 'node:util';
import { CampaignExpander, CampaignQueues, systemClock } from '@ringflow/campaign';
import { TenantDatabase } from '@ringflow/tenancy';
import Redis from 'ioredis';
import globalSetup from '../../test/global-setup';
import { campaignHarness, maxInAnyWindow } from '../../test/campaigns/campaign-harness';
import { WorkerProcess } from '../../test/campaigns/worker-process';

const { values: args } = parseArgs({ options: { contacts: { type: 'string', default: '10000' }, cps: { type: 'string', default: '50' }, expand: { type: 'string', default: '100000' }, loose: { type: 'boolean', default: false } } });
const CONTACTS = Number(args.contacts);
const CPS = Number(args.cps);
const EXPAND = Number(args.expand);
const AREAS = ['202', '212', '312', '415', '646', '718', '305', '617', '206', '303', '404', '713'];
const numberOf = (i: number) => `+1${AREAS[Math.floor(i / 10_000)]}555${String(i % 10_000).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  await globalSetup();
  const h = await campaignHarness({ runWorkers: false });
  const worker = new WorkerProcess({ ...h.env, DIAL_CONCURRENCY: '100', LOG_LEVEL: 'info', PACING_STRICT: args.loose ? 'false' : 'true' });
  try {
    // --- Dialing ---
    const t = await h.tenant('Bench', { callsPerSecond: CPS, maxConcurrentCalls: 1000 }, 1000);
    let started = Date.now();
    for (let i = 0; i < CONTACTS; i += 5000) {
      await h.contacts.addToList(t.tenantId, t.listId, Array.from({ length: Math.min(5000, CONTACTS - i) }, (_, j) => ({ phone: numberOf(i + j) })), 'bench');
    }
    console.log(`imported ${CONTACTS} contacts in ${Date.now() - started} ms`);
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: CPS, maxConcurrentCalls: 1000 }), 'bench');
    await worker.start();
    let peakRss = worker.rssMb() ?? 0;
    const rssAtStart = peakRss;
    started = Date.now();
    await h.launcher.launch(t.tenantId, campaign.id, 'bench');
    let lastReport = Date.now();
    for (;;) {
      await sleep(1000);
      peakRss = Math.max(peakRss, worker.rssMb() ?? 0);
      if ((await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed') break;
      if (Date.now() - lastReport > 20_000) {
        console.log(`  ${h.calls.length} calls after ${Math.round((Date.now() - started) / 1000)} s, worker rss ${Math.round(worker.rssMb() ?? 0)} MB`);
        lastReport = Date.now();
      }
      if (Date.now() - started > (CONTACTS / CPS) * 3000 + 60_000) throw new Error(`campaign not complete after ${Date.now() - started} ms`);
    }
    const total = Date.now() - started;
    const times = h.calls.map((c) => c.at).sort((a, b) => a - b);
    const perSecond: number[] = [];
    for (const at of times) perSecond[Math.floor((at - times[0]) / 1000)] = (perSecond[Math.floor((at - times[0]) / 1000)] ?? 0) + 1;
    const full = Array.from(perSecond, (n) => n ?? 0).slice(0, -1);
    const progress = await h.campaigns.progress(t.tenantId, campaign.id);
    console.log(`dialed ${times.length} calls for ${CONTACTS} contacts at CPS ${CPS} (${args.loose ? 'loose' : 'strict'} pacing): dispositions ${JSON.stringify(progress.dispositions)}`);
    console.log(`  highest count in any sliding one-second window: ${maxInAnyWindow(times)} (limit ${CPS})`);
    console.log(`  highest count in any whole second: ${Math.max(...full, 0)}; median per second: ${median(full)}; mean: ${(times.length / ((times[times.length - 1] - times[0]) / 1000)).toFixed(1)}/s`);
    console.log(`  total: ${(total / 1000).toFixed(1)} s from launch to completed (ideal ${(CONTACTS / CPS).toFixed(0)} s)`);
    console.log(`  worker-calls process rss: ${rssAtStart.toFixed(0)} MB at start, ${peakRss.toFixed(0)} MB peak`);
    await worker.stop('SIGTERM');

    // --- Expansion ---
    const e = await h.tenant('Expand', { callsPerSecond: CPS, maxConcurrentCalls: 1000 }, 1000);
    started = Date.now();
    for (let i = 0; i < EXPAND; i += 5000) {
      await h.contacts.addToList(e.tenantId, e.listId, Array.from({ length: Math.min(5000, EXPAND - i) }, (_, j) => ({ phone: numberOf(i + j) })), 'bench');
    }
    console.log(`imported ${EXPAND} contacts in ${Date.now() - started} ms`);
    const big = await h.campaigns.create(e.tenantId, h.campaignCommand(e, { callsPerSecond: CPS }), 'bench');
    // A queue namespace no worker reads: this measures expansion alone.
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const queues = new CampaignQueues({ connection: redis, namespace: `${h.namespace}-expand` });
    const expander = new CampaignExpander(h.app.get(TenantDatabase), h.campaigns, queues, systemClock, { pageSize: 1000 });
    started = Date.now();
    await h.campaigns.transition(e.tenantId, big.id, 'launch', 'bench');
    const snapshotMs = Date.now() - started;
    let after: number | null = 0;
    let enqueued = 0;
    while (after !== null) {
      const page = await expander.expandPage(e.tenantId, big.id, after);
      enqueued += page.enqueued;
      after = page.nextAfterSeq;
    }
    const expandMs = Date.now() - started;
    const queued = await queues.dials.getJobCounts('delayed', 'waiting');
    console.log(`expanded ${enqueued} contacts in ${expandMs} ms (audience snapshot ${snapshotMs} ms, then ${Math.round(enqueued / ((expandMs - snapshotMs) / 1000))} dial jobs/s); queued ${JSON.stringify(queued)}`);
    await queues.dials.obliterate({ force: true });
    await queues.close();
    redis.disconnect();
  } finally {
    await worker.stop('SIGKILL');
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
