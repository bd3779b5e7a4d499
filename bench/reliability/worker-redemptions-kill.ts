// Run: node -r @swc-node/register bench/reliability/worker-redemptions-kill.ts
// Options (env): RELIABILITY_REDEMPTIONS (1000, split over two tenants), RELIABILITY_KILLS (3), RELIABILITY_WEBHOOK_DELAY_MS
// (the receiver's answer delay, 30: posts are in flight when the worker dies), RELIABILITY_TIMEOUT_S (300),
// RELIABILITY_KILL_ON_RECOVERY=1 (a crash loop: kills 2.. come when the previous kill's jobs are retried); any EVENT_*,
// TRACK_* or WEBHOOK_* variable is passed on to the worker processes.
// Needs the local Postgres and Redis (as the tests do). Loopback only; bounded waits. Exits 1 when a check fails.
//
// Issue #10, "no redemption event lost": worker-redemptions runs as a process of its own while coupons of two tenants
// are redeemed; it is killed with SIGKILL RELIABILITY_KILLS times (at even steps of the webhooks received) and a fresh
// process is started each time. Checks that every redemption is attributed once and counted once in the funnel, that
// every event reached its tenant's webhook endpoint (a repeat is allowed: it carries the same event id and delivery id,
// which the receiver dedupes on) and nothing of one tenant reached the other's endpoint.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import {
  CouponIssuerService, CouponRedeemerService, FunnelService, MerchantsService, PromotionsService, WebhookEndpointsService, type CouponEntity,
} from '@ringflow/campaign';
import { createLogger, createWorkerApp } from '@ringflow/observability';
import { asTenantId, TenantDatabase, TenantsService } from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';
import { Client } from 'pg';
import { workerRedemptionsConfigSchema } from '../../apps/worker-redemptions/src/worker-redemptions.config';
import { WorkerRedemptionsModule } from '../../apps/worker-redemptions/src/worker-redemptions.module';
import globalSetup from '../../test/global-setup';

const ROOT = join(__dirname, '..', '..');
const REDEMPTIONS = Number(process.env.RELIABILITY_REDEMPTIONS ?? 1000);
const KILLS = Number(process.env.RELIABILITY_KILLS ?? 3);
const DELAY_MS = Number(process.env.RELIABILITY_WEBHOOK_DELAY_MS ?? 30);
const TIMEOUT_MS = Number(process.env.RELIABILITY_TIMEOUT_S ?? 300) * 1000;
// Crash loop: every kill after the first waits until a job the previous process held is being retried (an event posted
// a second time) and kills then, so the same jobs die twice (BullMQ fails a job that stalls more than maxStalledCount).
const ON_RECOVERY = process.env.RELIABILITY_KILL_ON_RECOVERY === '1';
const DAY = 24 * 3600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Starts a worker process (recorded in `children` at once, so it is stopped even if it never comes up). */
function startWorker(env: Record<string, string>, children: ChildProcess[]): Promise<ChildProcess> {
  // 'info': the start line is how the bench knows the worker is up.
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/worker-redemptions/src/main.ts')], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('worker-redemptions did not start in 60 s')), 60_000);
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out = (out + chunk).slice(-2000);
      if (out.includes('worker-redemptions started')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`worker-redemptions exited with ${code ?? signal}:\n${out}`)));
  });
}

/** The tenants' webhook endpoint: records each post (event id, delivery id, which tenant's path) and answers 200 late. */
async function startReceiver() {
  const posts: Array<{ path: string; id: string; tenantId: string; delivery: string }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string; tenantId: string };
      posts.push({ path: req.url ?? '/', id: body.id, tenantId: body.tenantId, delivery: String(req.headers['x-ringflow-delivery']) });
      setTimeout(() => res.writeHead(200).end('ok'), DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { posts, url, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

async function main(): Promise<void> {
  await globalSetup();
  const database = await createTestDatabase();
  const receiver = await startReceiver();
  const env: Record<string, string> = {
    DATABASE_URL: database.appUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', SECRETS_KEY: randomBytes(32).toString('hex'),
    QUEUE_NAMESPACE: `rel-redemptions-${randomBytes(3).toString('hex')}`, HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8',
    EVENT_POLL_MS: '200', WEBHOOK_RETRY_BACKOFF_MS: '200',
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => /^(EVENT|TRACK|WEBHOOK)_/.test(e[0]) && e[1] !== undefined)),
  };
  const logger = createLogger('bench', 'silent');
  // The services only (no BullMQ workers, no feeder here): the worker is the child process.
  const app = await createWorkerApp(
    WorkerRedemptionsModule.forRoot(workerRedemptionsConfigSchema.parse({ ...env, LOG_LEVEL: 'silent' }), { logger, runWorkers: false }), logger,
  );
  await app.init();
  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  const children: ChildProcess[] = [];
  const failures: string[] = [];
  try {
    const db = app.get(TenantDatabase);
    const issuer = new CouponIssuerService(db);
    const redeemer = new CouponRedeemerService(db);
    const tenants = await Promise.all(['Kill A', 'Kill B'].map(async (name, index) => {
      const tenantId = asTenantId((await app.get(TenantsService).create({ name }, 'operator')).id);
      const promotion = await new PromotionsService(db).create(
        tenantId, { name, offer: 'A free coffee', discount: '100%', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + 30 * DAY) }, 'marketer',
      );
      const merchant = await new MerchantsService(db).create(tenantId, { name: `${name} Cafe` }, 'admin');
      await app.get(WebhookEndpointsService).create(tenantId, { url: `${receiver.url}/tenant-${index}`, events: ['coupon.redeemed'] }, 'admin');
      return { tenantId, path: `/tenant-${index}`, promotionId: promotion.id, merchantId: merchant.id };
    }));
    const coupons: Array<{ tenant: (typeof tenants)[number]; coupon: CouponEntity; amount: string }> = [];
    for (let i = 0; i < REDEMPTIONS; i++) {
      const tenant = tenants[i % tenants.length];
      const coupon = await issuer.issue(tenant.tenantId, { promotionId: tenant.promotionId, phone: `+1212555${String(i % 10_000).padStart(4, '0')}`, issueKey: `kill-${i}` });
      coupons.push({ tenant, coupon, amount: `${1 + (i % 50)}.25` });
    }

    const t0 = performance.now();
    await startWorker(env, children);
    // Redeem while the worker runs and dies: 10 at a time through the service (the gateway is not what is tested here).
    let next = 0;
    const redeeming = Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = next++; i < coupons.length; i = next++) {
        const { tenant, coupon, amount } = coupons[i];
        const result = await redeemer.redeem(tenant.tenantId, { serial: coupon.serial, merchantId: tenant.merchantId, orderAmount: amount });
        if (result.outcome !== 'redeemed') throw new Error(`coupon ${coupon.id}: ${result.outcome}`);
        if (i % 20 === 0) await sleep(5); // spread the redemptions over the kills
      }
    }));
    const kills: string[] = [];
    for (let k = 1; k <= KILLS; k++) {
      const target = Math.floor((k * REDEMPTIONS) / (KILLS + 1));
      const repeats = () => receiver.posts.length - new Set(receiver.posts.map((p) => p.id)).size;
      const repeatsBefore = repeats();
      const due = () => (ON_RECOVERY && k > 1 ? repeats() > repeatsBefore : new Set(receiver.posts.map((p) => p.id)).size >= target);
      while (!due() && performance.now() - t0 < TIMEOUT_MS) await sleep(ON_RECOVERY ? 2 : 20);
      const current = children[children.length - 1];
      current.kill('SIGKILL');
      await new Promise((resolve) => current.once('exit', resolve));
      kills.push(`${((performance.now() - t0) / 1000).toFixed(1)} s (${new Set(receiver.posts.map((p) => p.id)).size} events posted)`);
      await startWorker(env, children);
    }
    await redeeming;
    const redeemedAt = performance.now();

    const unfinished = async () => {
      const { rows } = await owner.query(
        `SELECT (SELECT count(*) FROM coupon_events WHERE kind = 'redeemed' AND processed_at IS NULL)::int AS events,
                (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::int AS deliveries`,
      );
      return rows[0] as { events: number; deliveries: number };
    };
    let left = await unfinished();
    while ((left.events > 0 || left.deliveries > 0 || new Set(receiver.posts.map((p) => p.id)).size < REDEMPTIONS) && performance.now() - t0 < TIMEOUT_MS) {
      await sleep(250);
      left = await unfinished();
    }
    const finishedAt = performance.now();

    // Checks: attribution and funnel once per redemption, per tenant; every event posted to its own tenant's endpoint.
    const { rows: attributions } = await owner.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS events FROM redemption_attributions`);
    if (attributions[0].n !== REDEMPTIONS || attributions[0].events !== REDEMPTIONS) failures.push(`attributions ${attributions[0].n} (distinct events ${attributions[0].events}), expected ${REDEMPTIONS}`);
    const funnel = app.get(FunnelService);
    for (const tenant of tenants) {
      const own = coupons.filter((c) => c.tenant === tenant);
      const revenue = own.reduce((sum, c) => sum + Math.round(Number(c.amount) * 100), 0);
      const totals = await funnel.totals(tenant.tenantId);
      if (totals.redeemed !== own.length) failures.push(`tenant ${tenant.path}: funnel redeemed ${totals.redeemed}, expected ${own.length}`);
      if (Math.round(Number(totals.revenue) * 100) !== revenue) failures.push(`tenant ${tenant.path}: revenue ${totals.revenue}, expected ${(revenue / 100).toFixed(2)}`);
      if (totals.issued !== own.length) failures.push(`tenant ${tenant.path}: funnel issued ${totals.issued}, expected ${own.length}`);
    }
    const { rows: statuses } = await owner.query(`SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY 1 ORDER BY 1`);
    const byId = new Map<string, Array<(typeof receiver.posts)[number]>>();
    for (const post of receiver.posts) byId.set(post.id, [...(byId.get(post.id) ?? []), post]);
    const pathOf = new Map(tenants.map((t) => [t.tenantId as string, t.path]));
    const crossed = receiver.posts.filter((p) => pathOf.get(p.tenantId) !== p.path).length;
    if (crossed) failures.push(`${crossed} posts reached another tenant's endpoint`);
    if (byId.size !== REDEMPTIONS) failures.push(`webhook events received ${byId.size}, expected ${REDEMPTIONS}`);
    const repeated = [...byId.values()].filter((posts) => posts.length > 1);
    const undedupable = repeated.filter((posts) => new Set(posts.map((p) => p.delivery)).size > 1).length;
    if (undedupable) failures.push(`${undedupable} events posted under more than one delivery id`);
    if (left.events || left.deliveries) failures.push(`unfinished after ${TIMEOUT_MS / 1000} s: ${left.events} events, ${left.deliveries} deliveries pending`);

    console.log(`worker-redemptions: ${REDEMPTIONS} redemptions over 2 tenants, killed with SIGKILL ${KILLS} times${ON_RECOVERY ? ' (crash loop: each kill after the first as the previous one\'s jobs were retried)' : ''} at ${kills.join(', ')}; a new process started each time`);
    console.log(`redeeming took ${((redeemedAt - t0) / 1000).toFixed(1)} s; everything tracked and delivered ${((finishedAt - t0) / 1000).toFixed(1)} s after the first start (${((finishedAt - redeemedAt) / 1000).toFixed(1)} s after the last redemption)`);
    console.log(`attributions ${attributions[0].n} (${attributions[0].events} distinct events); funnel redeemed ${(await Promise.all(tenants.map((t) => funnel.totals(t.tenantId)))).map((t, i) => `${tenants[i].path} ${t.redeemed} (${t.revenue})`).join(', ')}`);
    console.log(`webhook deliveries: ${statuses.map((r: { status: string; n: number }) => `${r.status} ${r.n}`).join(', ')}; posts received ${receiver.posts.length} for ${byId.size} events; ${repeated.length} events posted more than once (same event id and delivery id each time: the receiver dedupes them); to the wrong tenant: ${crossed}`);
    console.log(`worker settings: ${Object.entries(env).filter(([k]) => /^(EVENT|TRACK|WEBHOOK)_/.test(k)).map(([k, v]) => `${k}=${v}`).join(' ')}, receiver answers after ${DELAY_MS} ms; load average ${load()}`);
    console.log(failures.length ? `FAILED:\n  ${failures.join('\n  ')}` : 'PASS: no event lost, none counted twice, every delivery made');
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await sleep(1000);
    await owner.end();
    await app.close();
    await receiver.close();
    await database.drop();
  }
  if (failures.length) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
