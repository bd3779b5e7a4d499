// Run: node -r @swc-node/register bench/reliability/redis-restart.ts            (Redis restarted)
//      node -r @swc-node/register bench/reliability/redis-restart.ts --postgres (a private Postgres stopped for 30 s)
// Options (env): RESTART_DOWN_MS (how long the service stays down, 3000 for Redis, 30000 for Postgres), RESTART_CALLERS (inbound callers at once, 4),
// RESTART_CONTACTS (campaign contacts, 40), RESTART_CPS (campaign calls per second, 2), RESTART_REDIS_PORT (6390).
// Needs redis-server on PATH and the local Postgres (as the tests). Loopback only; bounded waits.
//
// A real Redis restart, not a relay cut: a private `redis-server --port 6390 --save ''` (the machine's shared Redis on
// 6379 is never touched) behind the gateway, the admin API and worker-calls, each a process of its own; the telephony
// simulator (Twilio) in this process. Inbound callers call a menu flow in a closed loop while a push campaign dials;
// a few seconds in, Redis is shut down (nothing kept: it saves nothing) and started again. Prints what the callers
// heard before, during and after, when /readyz went unready and ready again, and whether the campaign paused and went
// on by itself to the end. With --postgres, a private Postgres cluster (initdb on port 5440 in a temporary directory,
// run as the postgres user) is the apps' database instead of the machine's, and it is the one stopped (pg_ctl stop -m
// fast) and started again; the machine's cluster is never touched.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createTestDatabase, daytimeZone } from '@ringflow/testing';
import { runMigrations } from '../../libs/database/src/run-migrations';
import { migrations } from '../../migrations';
import { startSimulator } from '../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import globalSetup from '../../test/global-setup';

const ROOT = join(__dirname, '..', '..');
const POSTGRES = process.argv.includes('--postgres');
const DOWN_MS = Number(process.env.RESTART_DOWN_MS ?? (POSTGRES ? 30_000 : 3000));
const PG_PORT = Number(process.env.RESTART_PG_PORT ?? 5440);
const PG_BIN = '/usr/lib/postgresql/15/bin';
const CALLERS = Number(process.env.RESTART_CALLERS ?? 4);
const CONTACTS = Number(process.env.RESTART_CONTACTS ?? 40);
const CPS = Number(process.env.RESTART_CPS ?? 2);
const REDIS_PORT = Number(process.env.RESTART_REDIS_PORT ?? 6390);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startRedis(): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  children.push(child);
  const probe = new Redis({ port: REDIS_PORT, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`redis-server on ${REDIS_PORT} did not answer in 5 s`);
}

/** A private Postgres cluster of this run: initdb as the postgres user (it refuses root), trust auth, loopback only. */
function privatePostgres() {
  const dir = mkdtempSync(join(tmpdir(), 'rel-pg-'));
  const data = join(dir, 'data');
  const asPostgres = (bin: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { stdio: 'ignore', timeout: 60_000 });
  execFileSync('chown', ['postgres', dir]);
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const ctl = (action: 'start' | 'stop') => asPostgres('pg_ctl', action === 'start'
    ? ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${PG_PORT} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']
    : ['-D', data, '-m', 'fast', '-w', 'stop']);
  ctl('start');
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${PG_PORT}/ringflow`,
    appUrl: `postgres://ringflow_app:ringflow_app@127.0.0.1:${PG_PORT}/ringflow`,
    start: () => ctl('start'),
    stop: () => ctl('stop'),
    remove: () => {
      try {
        ctl('stop');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopRedis(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
}

function startApp(app: string, env: Record<string, string>, ready: (line: string) => boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, `apps/${app}/src/main.ts`)], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const errors: string[] = [];
  child.stderr!.on('data', (chunk) => void errors.push(String(chunk)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${app} did not start in 60 s: ${out.slice(-500)} ${errors.join('').slice(-500)}`)), 60_000);
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.length > 100_000) out = out.slice(-10_000);
      if (out.split('\n').some(ready)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${app} exited with ${code}: ${errors.join('').slice(-1000)}`)));
  });
}

async function main(): Promise<void> {
  const pg = POSTGRES ? privatePostgres() : undefined;
  if (pg) await runMigrations({ adminUrl: pg.adminUrl, appUrl: pg.appUrl, migrations });
  else await globalSetup();
  const database = pg ? { appUrl: pg.appUrl, adminUrl: pg.adminUrl, drop: async () => pg.remove() } : await createTestDatabase();
  let owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  const sim = await startSimulator({ port: 0 });
  const simClient = new SimTestClient(sim);
  let redis = await startRedis();
  const [gatewayPort, adminPort] = [await freePort(), await freePort()];
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const operatorKey = `op_${randomBytes(24).toString('hex')}`;
  const env = {
    DATABASE_URL: database.appUrl, REDIS_URL: `redis://127.0.0.1:${REDIS_PORT}`, SECRETS_KEY: randomBytes(32).toString('hex'),
    OPERATOR_API_KEY: operatorKey, PUBLIC_BASE_URL: gatewayUrl, TWILIO_API_BASE_URL: sim.url, QUEUE_NAMESPACE: 'rel-restart', LOG_LEVEL: 'info',
  };
  try {
    const started = (name: string) => (line: string) => line.includes(`${name} started`) || line.includes(`${name} listening`);
    await Promise.all([
      startApp('gateway', { ...env, PORT: String(gatewayPort) }, started('gateway')),
      startApp('admin-api', { ...env, PORT: String(adminPort) }, started('admin-api')),
      startApp('worker-calls', env, started('worker-calls')),
    ]);
    for (const url of [gatewayUrl, adminUrl]) {
      for (let i = 0; (await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) !== 200; i++) {
        if (i > 300) throw new Error(`${url}/readyz not ready in 30 s`);
        await sleep(100);
      }
    }

    const gql = async (key: string, query: string, variables?: Record<string, unknown>) => {
      const response = await fetch(`${adminUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
      if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
      return body.data!;
    };

    // The tenant, as an operator and its admin would set it up over the admin API.
    const account = await simClient.account({ cps: 50, mps: 50 });
    const number = '+14155550170';
    const tenantId = (await gql(operatorKey, 'mutation { createTenant(input: { name: "Restart Co" }) { id } }')).createTenant.id;
    const adminKey = (await gql(operatorKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { tenantId, name: 'admin', role: 'ADMIN' } })).createApiKey.secret;
    await gql(adminKey, 'mutation { updateTenant(input: { fallbackMessage: "Restart Co is sorry, please call again." }) { id } }');
    await gql(adminKey, 'mutation($a: String!, $t: String!) { setTwilioCredentials(input: { accountSid: $a, authToken: $t }) { accountSid } }', { a: account.sid, t: account.token });
    await gql(adminKey, 'mutation($n: String!) { addPhoneNumber(input: { number: $n }) { id } }', { n: number });
    await simClient.number(account.sid, number, { voiceUrl: `${gatewayUrl}/twilio/voice` });
    const flow = {
      schemaVersion: 1, name: 'Menu', start: 'menu',
      nodes: {
        menu: { type: 'menu', prompts: [{ kind: 'say', text: 'Welcome to Restart Co. Press 1.' }], options: [{ key: '1', next: 'thanks' }], next: { 'no-input': 'bye', invalid: 'bye' } },
        thanks: { type: 'say', text: 'Thank you for pressing 1.', next: 'bye' },
        bye: { type: 'hangup' },
      },
    };
    const flowId = (await gql(adminKey, 'mutation($d: JSON!) { createFlow(document: $d) { flow { id } } }', { d: flow })).createFlow.flow.id;
    await gql(adminKey, 'mutation($id: ID!) { publishFlow(id: $id) { version { version } } }', { id: flowId });
    await gql(adminKey, 'mutation($n: String!, $f: ID!) { bindNumberToFlow(input: { number: $n, flowId: $f }) }', { n: number, f: flowId });
    await owner.query('INSERT INTO dialing_limits (tenant_id, calls_per_second, max_concurrent_calls) VALUES ($1, $2, 50)', [tenantId, CPS]);
    const listId = (await gql(adminKey, 'mutation { createContactList(name: "Everyone") { id } }')).createContactList.id;
    const zone = daytimeZone();
    const contacts = Array.from({ length: CONTACTS }, (_, i) => `+1646555${String(2000 + i)}`);
    await gql(adminKey, 'mutation($l: ID!, $csv: String!) { importContacts(listId: $l, csv: $csv) { imported } }', {
      l: listId, csv: `phone,timeZone\n${contacts.map((p) => `${p},${zone}`).join('\n')}`,
    });
    for (const phone of contacts) await simClient.control('PUT', `/sim/phones/${encodeURIComponent(phone)}`, { answer: 'human', presses: ['1'] });
    const campaignId = (await gql(adminKey, 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { name: 'Push', listId, callerId: number, flowId, flowVersion: 1, callsPerSecond: CPS, maxConcurrentCalls: 50 },
    })).createCampaign.id;

    // Timeline: t=0 launch and callers; Redis down at t=downAt for DOWN_MS; callers stop at t=downAt+DOWN_MS+8 s.
    const t0 = Date.now();
    const at = () => Date.now() - t0;
    const downAt = 8_000;
    let phase: 'before' | 'outage' | 'after' = 'before';
    const heard: Record<string, Record<string, number>> = { before: {}, outage: {}, after: {} };
    const classify = (lines: string[]) => {
      const text = lines.join(' ');
      if (text.includes('Welcome to Restart Co') && text.includes('Thank you')) return 'flow';
      if (text.includes('Restart Co is sorry')) return 'tenant-fallback';
      if (text.includes('application error')) return 'twilio-error';
      if (text.includes('Welcome to Restart Co')) return 'flow, cut short';
      return `other: ${text.slice(0, 80)}`;
    };
    let stop = false;
    let callerN = 0;
    const callers = Array.from({ length: CALLERS }, async () => {
      while (!stop) {
        const from = `+1555126${String(callerN++ % 10_000).padStart(4, '0')}`;
        const when = phase;
        const res = await simClient.control<{ heard?: string[] }>('POST', '/sim/calls', { from, to: number, script: { answer: 'human', presses: ['1'] }, wait: true, timeoutMs: 30_000 });
        const kind = res.status === 201 ? classify(res.body.heard ?? []) : `sim ${res.status}`;
        heard[when][kind] = (heard[when][kind] ?? 0) + 1;
      }
    });
    const readyz: Array<[number, number]> = [];
    const readiness = (async () => {
      let last = 0;
      while (!stop) {
        const status = await fetch(`${gatewayUrl}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
        if (status !== last) readyz.push([at(), status]);
        last = status;
        await sleep(100);
      }
    })();
    await gql(adminKey, 'mutation($id: ID!) { launchCampaign(id: $id) { status } }', { id: campaignId });

    const progress = async (): Promise<{ status: string; progress: Record<string, number> }> => {
      for (let i = 0; ; i++) {
        try {
          return (await gql(adminKey, 'query($id: ID!) { campaign(id: $id) { status progress { pending done inCall } } }', { id: campaignId })).campaign;
        } catch (error) {
          if (i >= 50) throw error;
          await sleep(200);
        }
      }
    };
    const placedTimes = () => [...sim.store.calls.values()].filter((c) => c.accountSid === account.sid && c.direction !== 'inbound' && contacts.includes(c.to)).map((c) => c.dateCreated.getTime() - t0);
    await sleep(downAt);
    const before = { progress: await progress(), placed: placedTimes().length };
    phase = 'outage';
    await owner.end().catch(() => undefined);
    if (pg) pg.stop();
    else await stopRedis(redis);
    const downedAt = at();
    await sleep(DOWN_MS);
    if (pg) pg.start();
    else redis = await startRedis();
    const upAt = at();
    owner = new Client({ connectionString: database.adminUrl });
    await owner.connect();
    phase = 'after';
    await sleep(8_000);
    stop = true;
    await Promise.all([...callers, readiness]);
    // The campaign: does it go on to the end by itself?
    let final = await progress();
    const deadline = Date.now() + Math.max(60_000, (CONTACTS / CPS) * 3000);
    // progress() needs the admin API, which needs Postgres: it is back by now.
    while (final.status !== 'COMPLETED' && Date.now() < deadline) {
      await sleep(1000);
      final = await progress();
    }
    const times = placedTimes();
    const readyAgain = readyz.find(([t, s]) => t > upAt && s === 200);
    const unready = readyz.find(([t, s]) => t >= downedAt && s !== 200);
    console.log(JSON.stringify({
      stopped: pg ? 'postgres' : 'redis', downMs: upAt - downedAt, callers: CALLERS, heard,
      readyz: { unreadyAfterStopMs: unready ? unready[0] - downedAt : null, readyAfterStartMs: readyAgain ? readyAgain[0] - upAt : null, transitions: readyz },
      campaign: {
        contacts: CONTACTS, cps: CPS, beforeRestart: before, placedDuringOutage: times.filter((t) => t >= downedAt && t < upAt).length,
        firstPlacedAfterRestartMs: (() => { const next = times.filter((t) => t >= upAt).sort((a, b) => a - b)[0]; return next === undefined ? null : next - upAt; })(),
        final, placed: times.length, dialedTwice: contacts.filter((p) => times.length && [...sim.store.calls.values()].filter((c) => c.to === p).length > 1).length,
      },
      loadAverage: loadavg()[0].toFixed(1),
    }, null, 1));
  } finally {
    for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
    await sleep(500);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await sim.close();
    await owner.end().catch(() => undefined);
    await database.drop();
  }
}

process.once('SIGINT', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  process.exit(130);
});

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    process.exit(1);
  },
);
