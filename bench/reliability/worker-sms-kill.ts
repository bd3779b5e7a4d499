// Run: node -r @swc-node/register bench/reliability/worker-sms-kill.ts
// Options (env): RELIABILITY_COUPONS (300), RELIABILITY_MPS (the simulated account's messages/second, 30); any SMS_*
// variable (e.g. SMS_RETRY_BACKOFF_MS=200) is passed on to the worker processes.
// Needs the local Postgres and Redis (as the tests do). Loopback only; bounded waits.
//
// worker-sms as a process of its own sends a batch of coupon SMS through the telephony simulator; a third of the way
// in it is killed with SIGKILL and a fresh process started. Prints how many coupons were sent, how many phones got
// more than one text, how many got none, and how long the batch took to finish after the restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CouponIssuerService, CouponJobs, PromotionsService } from '@ringflow/campaign';
import { createLogger, createWorkerApp } from '@ringflow/observability';
import { PhoneNumbersService, TenantDatabase, TenantsService, TwilioCredentialsService, type TenantId } from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';
import { Client } from 'pg';
import { startSimulator } from '../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import { workerSmsConfigSchema } from '../../apps/worker-sms/src/worker-sms.config';
import { WorkerSmsModule } from '../../apps/worker-sms/src/worker-sms.module';
import globalSetup from '../../test/global-setup';

const ROOT = join(__dirname, '..', '..');
const COUPONS = Number(process.env.RELIABILITY_COUPONS ?? 300);
const MPS = Number(process.env.RELIABILITY_MPS ?? 30);
const DAY = 24 * 3600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/worker-sms/src/main.ts')], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('worker-sms did not start in 30 s')), 30_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('worker-sms started')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`worker-sms exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  await globalSetup();
  const database = await createTestDatabase();
  const sim = await startSimulator({ port: 0 });
  const namespace = `rel-sms-${randomBytes(3).toString('hex')}`;
  const env = {
    DATABASE_URL: database.appUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', SECRETS_KEY: randomBytes(32).toString('hex'),
    TWILIO_API_BASE_URL: sim.url, PUBLIC_BASE_URL: 'http://127.0.0.1:9', QUEUE_NAMESPACE: namespace, SMS_CLAIM_MS: '5000',
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('SMS_') && e[1] !== undefined)),
  };
  const logger = createLogger('bench', 'silent');
  // The services only (no BullMQ workers here): the worker is the child process.
  const app = await createWorkerApp(WorkerSmsModule.forRoot(workerSmsConfigSchema.parse({ ...env, LOG_LEVEL: 'silent' }), { logger, runWorkers: false }), logger);
  await app.init();
  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  const children: ChildProcess[] = [];
  try {
    const db = app.get(TenantDatabase);
    const tenantId = (await app.get(TenantsService).create({ name: 'Kill' }, 'operator')).id as TenantId;
    const simClient = new SimTestClient(sim);
    const account = await simClient.account({ sid: `AC${randomBytes(16).toString('hex')}`, token: randomBytes(16).toString('hex'), mps: MPS });
    await app.get(TwilioCredentialsService).set(tenantId, { accountSid: account.sid, authToken: account.token }, 'admin');
    const number = '+14155550177';
    await simClient.number(account.sid, number);
    await app.get(PhoneNumbersService).add(tenantId, { number }, 'admin');
    const promotion = await new PromotionsService(db).create(
      tenantId, { name: 'Kill', offer: 'A free coffee', discount: '100%', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + 30 * DAY) }, 'marketer',
    );
    const issuer = new CouponIssuerService(db);
    const jobs = app.get(CouponJobs);
    const phones = Array.from({ length: COUPONS }, (_, i) => `+1212555${String(i).padStart(4, '0')}`);
    for (const [i, phone] of phones.entries()) {
      const coupon = await issuer.issue(tenantId, { promotionId: promotion.id, phone, issueKey: `kill-${i}` });
      await jobs.enqueueSend(tenantId, coupon.id);
    }
    const sentCount = async () => (await simClient.control<unknown[]>('GET', `/sim/messages?from=${encodeURIComponent(number)}`)).body.length;

    const t0 = performance.now();
    children.push(await startWorker(env));
    for (let i = 0; i < 600 && (await sentCount()) < COUPONS / 3; i++) await sleep(100);
    const atKill = await sentCount();
    children[0].kill('SIGKILL');
    const killedAt = performance.now();
    children.push(await startWorker(env));
    let done = 0;
    for (let i = 0; i < 1800; i++) {
      const { rows } = await owner.query(`SELECT count(*)::int AS n FROM coupons WHERE sms_status IN ('sent', 'delivered', 'failed')`);
      done = rows[0].n;
      if (done >= COUPONS) break;
      await sleep(100);
    }
    const finishedAt = performance.now();
    const messages = (await simClient.control<Array<{ to: string }>>('GET', `/sim/messages?from=${encodeURIComponent(number)}`)).body;
    const perPhone = new Map<string, number>();
    for (const m of messages) perPhone.set(m.to, (perPhone.get(m.to) ?? 0) + 1);
    const { rows: statuses } = await owner.query(`SELECT sms_status || coalesce(' (' || sms_error || ')', '') AS sms_status, count(*)::int AS n FROM coupons GROUP BY 1 ORDER BY 1`);

    console.log(`worker-sms killed with SIGKILL after ${atKill} of ${COUPONS} coupon texts (${((killedAt - t0) / 1000).toFixed(1)} s in), a new process started`);
    console.log(`coupons finished: ${done} of ${COUPONS}, ${((finishedAt - killedAt) / 1000).toFixed(1)} s after the kill, ${((finishedAt - t0) / 1000).toFixed(1)} s in all`);
    console.log(`worker settings: ${Object.entries(env).filter(([k]) => k.startsWith('SMS_')).map(([k, v]) => `${k}=${v}`).join(' ')}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`coupon sms_status: ${statuses.map((r: { sms_status: string; n: number }) => `${r.sms_status} ${r.n}`).join(', ')}`);
    const results = new Map<string, number>();
    for (const job of await jobs.sms.getJobs(['completed'], 0, -1)) results.set(String(job.returnvalue), (results.get(String(job.returnvalue)) ?? 0) + 1);
    console.log(`job results: ${[...results].map(([r, n]) => `${r} ${n}`).join(', ')}`);
    console.log(`texts sent: ${messages.length}; phones with more than one: ${[...perPhone.values()].filter((n) => n > 1).length}; phones with none: ${phones.filter((p) => !perPhone.has(p)).length}`);
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await sleep(1000);
    await owner.end();
    await app.close();
    await sim.close();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
