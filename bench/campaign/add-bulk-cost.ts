// Run: node -r @swc-node/register bench/campaign/add-bulk-cost.ts [--jobs 20000] [--batch 1000]
// What one dial job costs to add to BullMQ (this process's CPU and the Redis server's), by the shape of the add:
// delayed with the expander's spread versus plain, the expander's options versus none, batch size. Prints figures.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { CampaignQueues } from '@ringflow/campaign';
import Redis from 'ioredis';

const { values: args } = parseArgs({ options: { jobs: { type: 'string', default: '20000' }, batch: { type: 'string', default: '1000' } } });
const JOBS = Number(args.jobs);
const BATCH = Number(args.batch);

async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function main(): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const tenantId = randomUUID();
  const campaignId = randomUUID();
  const contacts = Array.from({ length: JOBS }, () => randomUUID());
  const variants: Array<[string, (i: number) => number, boolean]> = [
    ['delayed, spread at 55/s', (i) => ((i % BATCH) * 1000) / 55, true],
    ['plain (delay 0)', () => 0, true],
    ['delayed, jobId and delay only', (i) => ((i % BATCH) * 1000) / 55, false],
  ];
  for (const [name, delayOf, fullOptions] of variants) {
    const queues = new CampaignQueues({ connection: redis, namespace: `addbulk-${process.pid}` });
    const cpu0 = process.cpuUsage();
    const r0 = await redisCpu(redis);
    const t0 = Date.now();
    for (let i = 0; i < JOBS; i += BATCH) {
      const jobs = contacts.slice(i, i + BATCH).map((contactId, j) => ({ data: { tenantId, campaignId, contactId, attempt: 1 }, delayMs: delayOf(i + j) }));
      if (fullOptions) await queues.enqueueDials(jobs);
      else await queues.dials.addBulk(jobs.map((job) => { const { name: n, data, opts } = queues.dialJob(job.data, job.delayMs); return { name: n, data, opts: { jobId: opts.jobId, delay: opts.delay } }; }));
    }
    const ms = Date.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const r = (await redisCpu(redis)) - r0;
    console.log(`${name}: ${JOBS} jobs in ${ms} ms (${Math.round(JOBS / (ms / 1000))}/s); this process ${((cpu.user + cpu.system) / JOBS).toFixed(0)} µs/job, Redis ${((r * 1e6) / JOBS).toFixed(0)} µs/job; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    await queues.dials.obliterate({ force: true });
    await queues.close();
  }
  redis.disconnect();
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
