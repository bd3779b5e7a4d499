// Run: node -r @swc-node/register bench/coupons/http.ts
// Merchant redemptions over HTTP: the gateway as its own process (node -r @swc-node/register apps/gateway/src/main.ts,
// no build) on a database cloned from the test template, merchant keys bound, keep-alive load with an undici Pool.
// Sizes: BENCH_ISSUE (coupons per concurrency level, default 5000), BENCH_CONCURRENCY (comma list, default 10,50,100),
// BENCH_RACE_COUPONS (1000) x BENCH_RACE_ATTEMPTS (100) at BENCH_RACE_CONCURRENCY (100), BENCH_POOL (the bench's pg pool for issuing and the raw statements, 20).
// BENCH_GATEWAY_ROOT=<dir> runs the gateway of another checkout (A/B).
// BENCH_CPU_PROFILE=<file.cpuprofile> profiles the gateway during the first level (over IPC, see cpu-profile.ts) and
// prints where its CPU went.
// Needs the local Postgres and Redis (as the tests do).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Pool as HttpPool } from 'undici';
import {
  CAMPAIGN_ENTITIES, CouponIssuerService, MerchantKeysService, MerchantsService, PromotionsService, type CouponEntity,
} from '@ringflow/campaign';
import { ApiKeyEntity, ApiKeysService, AuditEntryEntity, TenantDatabase, TenantEntity, TenantsService, type TenantId } from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';
import globalSetup from '../../test/global-setup';
import { line, rawStatements, timed, type Timing } from './bench-support';

const ISSUE = Number(process.env.BENCH_ISSUE ?? 5_000);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '10,50,100').split(',').map(Number);
const RACE_COUPONS = Number(process.env.BENCH_RACE_COUPONS ?? 1_000);
const RACE_ATTEMPTS = Number(process.env.BENCH_RACE_ATTEMPTS ?? 100);
const RACE_WIDTH = Number(process.env.BENCH_RACE_CONCURRENCY ?? 100);
// Postgres here allows 100 connections, shared with whatever else runs: 20 for the bench's own pool, 10 in the gateway.
const POOL = Number(process.env.BENCH_POOL ?? 20);
const PROFILE = process.env.BENCH_CPU_PROFILE ? resolve(process.env.BENCH_CPU_PROFILE) : undefined;
const DAY = 86_400_000;
const root = join(__dirname, '..', '..');
// Another checkout's gateway (e.g. `git archive` of an earlier commit with node_modules linked) for an A/B run.
const gatewayRoot = process.env.BENCH_GATEWAY_ROOT ? resolve(process.env.BENCH_GATEWAY_ROOT) : root;
// Raised for the bench only (the defaults are 60 per merchant, key and address and 1200 per tenant, per minute).
const LIMITS = { MERCHANT_REDEMPTIONS_PER_MINUTE: '1000000', MERCHANT_TENANT_REDEMPTIONS_PER_MINUTE: '1000000' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function startGateway(databaseUrl: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: url,
    OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    QUEUE_NAMESPACE: `bench-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: process.env.BENCH_GATEWAY_LOG_LEVEL ?? 'info',
    ...LIMITS,
    ...(PROFILE ? { BENCH_CPU_PROFILE_OUT: PROFILE } : {}),
  };
  const args = [...(PROFILE ? ['-r', '@swc-node/register', '-r', join(__dirname, 'cpu-profile.ts')] : ['-r', '@swc-node/register']), join(gatewayRoot, 'apps/gateway/src/main.ts')];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: gatewayRoot, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  // Keep only the tail (for a failed start); the request log lines carry no serials, and are not printed anyway.
  let tail = '';
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited ${child.exitCode}:\n${tail}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`gateway did not come up:\n${tail}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    output: () => tail,
    profile: async (what: 'profile-start' | 'profile-stop') => {
      if (what === 'profile-start') return void child.send(what);
      const written = new Promise<void>((done) => child.once('message', () => done()));
      child.send(what);
      await written;
    },
    stop: () => new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}

let gatewayOutput: (() => string) | undefined;

interface Answer {
  status: number;
}

async function main(): Promise<void> {
  await globalSetup();
  const database = await createTestDatabase();
  const dataSource = await new DataSource({
    type: 'postgres', url: database.appUrl, poolSize: POOL, entities: [TenantEntity, ApiKeyEntity, AuditEntryEntity, ...CAMPAIGN_ENTITIES],
  }).initialize();
  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  let http: HttpPool | undefined;
  try {
    const db = new TenantDatabase(dataSource);
    const issuer = new CouponIssuerService(db);
    const tenantId = (await new TenantsService(db).create({ name: 'Bench' }, 'bench')).id as TenantId;
    const promotion = await new PromotionsService(db).create(
      tenantId, { name: 'Bench', offer: 'A coffee', discount: '100%', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + DAY) }, 'bench',
    );
    // Four tills, each a merchant with its own bound key; requests go round-robin over them.
    const tills = await Promise.all(Array.from({ length: 4 }, async (_, i) => {
      const merchant = await new MerchantsService(db).create(tenantId, { name: `Till ${i}` }, 'bench');
      const key = await new ApiKeysService(db).create(tenantId, { name: `till ${i}`, role: 'merchant' }, 'bench');
      await new MerchantKeysService(db).bind(tenantId, { apiKeyId: key.apiKey.id, merchantId: merchant.id }, 'bench');
      return { merchantId: merchant.id, secret: key.secret };
    }));
    const issue = async (n: number, tag: string) =>
      timed(Array.from({ length: n }, (_, i) => () => issuer.issue(tenantId, { promotionId: promotion.id, phone: '+14155550101', issueKey: `${tag}-${i}` })), POOL);

    gateway = await startGateway(database.appUrl);
    gatewayOutput = gateway.output;
    const maxWidth = Math.max(...LEVELS, RACE_WIDTH);
    http = new HttpPool(gateway.url, { connections: maxWidth, pipelining: 1, keepAliveTimeout: 30_000 });
    const pool = http;
    const redeem = async (serial: string, i: number): Promise<Answer> => {
      const res = await pool.request({
        path: '/api/v1/redemptions', method: 'POST',
        headers: { authorization: `Bearer ${tills[i % tills.length].secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ serial }),
      });
      await res.body.dump();
      return { status: res.statusCode };
    };
    // The gateway's own CPU time (user + system, /proc, in clock ticks of 10 ms): less at the mercy of other load than rates.
    const gatewayPid = gateway.pid;
    const cpuMs = () => {
      const fields = readFileSync(`/proc/${gatewayPid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    };
    const xacts = async () => Number((await owner.query('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0].n);

    console.log(`coupons over HTTP: gateway pid ${gateway.pid} from ${gatewayRoot} (its own process, pool of 10 Postgres connections), ${ISSUE} coupons per level, `
      + `concurrency ${LEVELS.join('/')}, race ${RACE_COUPONS} x ${RACE_ATTEMPTS} at ${RACE_WIDTH}, ${tills.length} bound merchant keys`);
    console.log(`rate limits raised for the bench: ${Object.entries(LIMITS).map(([k, v]) => `${k}=${v}`).join(' ')} (defaults 60 and 1200 per minute)`);

    const figures: Record<string, Timing> = {};
    const report = (key: string, label: string, t: Timing) => {
      figures[key] = t;
      console.log(line(label, t));
    };

    // Warm-up: JIT in the gateway, keep-alive sockets, Postgres connections, plan caches.
    const warm = (await issue(500, 'warm')).results;
    await timed(warm.map((c, i) => () => redeem(c.serial, i)), maxWidth);

    let first = true;
    for (const width of LEVELS) {
      const issued = await issue(ISSUE, `level-${width}`);
      if (first) report('issue', 'issue (service: tx, set_config, INSERT..SELECT)', issued.timing);
      if (first && PROFILE) await gateway.profile('profile-start');
      await new Promise((r) => setTimeout(r, 1_000));
      const before = await xacts();
      const cpuBefore = cpuMs();
      const once = await timed(issued.results.map((c: CouponEntity, i) => () => redeem(c.serial, i)), width);
      const cpuPerRedemption = (cpuMs() - cpuBefore) / ISSUE;
      await new Promise((r) => setTimeout(r, 1_000));
      const perRedemption = ((await xacts()) - before) / ISSUE;
      if (first && PROFILE) await gateway.profile('profile-stop');
      first = false;
      assertStatuses(once.results, { 200: ISSUE });
      report(`http${width}`, `redeem over HTTP, each once, ${width} in flight`, once.timing);
      console.log(`  Postgres transactions per redemption (pg_stat_database, incl. autocommit statements): ${perRedemption.toFixed(2)}; `
        + `gateway CPU per redemption: ${cpuPerRedemption.toFixed(2)} ms`);
    }

    const raceCoupons = (await issue(RACE_COUPONS, 'race')).results;
    // Coupon-major order: the requests in flight at any moment all fight over the same one or two coupons.
    const raceCpuBefore = cpuMs();
    const race = await timed(raceCoupons.flatMap((c) => Array.from({ length: RACE_ATTEMPTS }, (_, i) => () => redeem(c.serial, i))), RACE_WIDTH);
    const raceCpu = (cpuMs() - raceCpuBefore) / race.results.length;
    const statuses = countStatuses(race.results);
    const { rows: [stored] } = await owner.query(`
      SELECT (SELECT count(*)::int FROM coupons WHERE promotion_id = $1 AND issue_key LIKE 'race-%' AND redeemed_at IS NOT NULL) AS redeemed,
             (SELECT count(*)::int FROM coupon_events e JOIN coupons c ON c.id = e.coupon_id WHERE c.issue_key LIKE 'race-%' AND e.kind = 'redeemed') AS events,
             (SELECT count(*)::int FROM redemption_attempts a JOIN coupons c ON c.id = a.coupon_id WHERE c.issue_key LIKE 'race-%') AS attempts`, [promotion.id]);
    report('race', `race over HTTP, ${RACE_ATTEMPTS} per coupon, ${RACE_WIDTH} in flight`, race.timing);
    console.log(`  race: ${statuses[200] ?? 0} succeeded (200) of ${race.results.length}; answers ${JSON.stringify(statuses)}; `
      + `stored: ${stored.redeemed} coupons redeemed, ${stored.events} redeemed events, ${stored.attempts} attempts; gateway CPU per attempt ${raceCpu.toFixed(2)} ms`);
    const raceOk = statuses[200] === RACE_COUPONS && statuses[409] === RACE_COUPONS * (RACE_ATTEMPTS - 1)
      && stored.redeemed === RACE_COUPONS && stored.events === RACE_COUPONS && stored.attempts === RACE_COUPONS * RACE_ATTEMPTS;
    console.log(`  race ${raceOk ? 'EXACT' : 'WRONG'}: expected ${RACE_COUPONS} x 200 and ${RACE_COUPONS * (RACE_ATTEMPTS - 1)} x 409`);

    await http.close();
    http = undefined;
    await gateway.stop();
    gateway = undefined;

    await dataSource.destroy();
    const merchantId = tills[0].merchantId;
    const raw = await rawStatements(database.appUrl, { tenantId, promotionId: promotion.id, merchantId }, { count: ISSUE, raceCoupons: RACE_COUPONS, raceAttempts: RACE_ATTEMPTS, pool: POOL });
    report('rawInsert', `bare INSERT INTO coupons (pg pool of ${POOL}, autocommit)`, raw.insert);
    report('rawUpdate', `bare conditional UPDATE, each coupon once (pool of ${POOL})`, raw.update);
    report('rawRace', `bare conditional UPDATE, ${RACE_ATTEMPTS} at once per coupon`, raw.race);

    const ratio = (a: string, b: string) => (figures[a].perSecond / figures[b].perSecond).toFixed(2);
    console.log(`ratio issue service / bare INSERT:                 ${ratio('issue', 'rawInsert')}`);
    for (const width of LEVELS) console.log(`ratio redeem HTTP (${String(width).padStart(3)} in flight) / bare UPDATE:  ${ratio(`http${width}`, 'rawUpdate')}`);
    console.log(`ratio race over HTTP / bare UPDATE race:           ${ratio('race', 'rawRace')}`);
    if (PROFILE) summariseProfile(PROFILE);
  } finally {
    if (http) await http.close();
    if (gateway) await gateway.stop();
    await owner.end();
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}

function countStatuses(results: Answer[]): Record<number, number> {
  const seen: Record<number, number> = {};
  for (const r of results) seen[r.status] = (seen[r.status] ?? 0) + 1;
  return seen;
}

function assertStatuses(results: Answer[], expected: Record<number, number>): void {
  const seen = countStatuses(results);
  if (JSON.stringify(seen) !== JSON.stringify(expected)) throw new Error(`unexpected answers: ${JSON.stringify(seen)}, expected ${JSON.stringify(expected)}`);
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }

/** Self time by function and by package, from a V8 .cpuprofile. */
function summariseProfile(file: string): void {
  if (!existsSync(file)) return void console.log(`no CPU profile was written to ${file}`);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = url.replace(/^file:\/\//, '').replace(`${root}/`, '');
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where.startsWith('node:') ? 'node core' : where === '' ? `(${functionName || 'native'})` : 'ringflow');
    fns.set(`${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`, (fns.get(`${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`) ?? 0) + us);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, us]) => `  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  console.log(`gateway CPU profile (${(total / 1e6).toFixed(1)} s sampled, first level), self time by package:\n${top(pkgs, 12)}\nby function:\n${top(fns, 15)}`);
}

main().catch((error) => {
  console.error(error);
  if (gatewayOutput) console.error(`gateway output (tail):\n${gatewayOutput()}`);
  process.exit(1);
});
