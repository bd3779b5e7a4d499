// Run: node -r @swc-node/register bench/reliability/postgres-outage.ts            (Postgres cut for this gateway only)
//      node -r @swc-node/register bench/reliability/postgres-outage.ts --real     (stops the machine's cluster: everyone's)
// Options (env): RELIABILITY_OUTAGE_SECONDS (30), RELIABILITY_BEFORE_SECONDS (10), RELIABILITY_AFTER_SECONDS (20),
// RELIABILITY_CALLERS (16), RELIABILITY_STEPS_PER_CALL (5), RELIABILITY_SWEEP_SECONDS (2: the gateway's CALL_SWEEP_INTERVAL_SECONDS,
// how often call records refused during the outage are retried), RELIABILITY_RECORD_WAIT_SECONDS (30: how long after the run
// the bench waits for those records). Needs the local Postgres and Redis (as the tests do). Loopback only.
//
// Signed calls hit one gateway process in a closed loop (first webhook, presses of 1, final status, next call) while
// Postgres goes away for RELIABILITY_OUTAGE_SECONDS. By default the gateway reaches Postgres through a TCP relay in this
// process that is cut (open connections dropped, new ones closed at once), so the shared cluster and other people's
// tests are untouched; `--real` runs `pg_ctlcluster --skip-systemctl-redirect <version> main stop` instead and starts it
// again in a `finally` (and on SIGINT/SIGTERM), then checks it answers. Prints what callers heard per phase, the
// errors, latency, and how long after Postgres came back /readyz was 200 and a new call ran its flow again.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import twilio from 'twilio';
import { TenantsService, TenantDatabase, TenantEntity, ApiKeyEntity, AuditEntryEntity, type TenantId } from '@ringflow/tenancy';
import { DataSource } from 'typeorm';
import { benchTenant, type BenchTenant } from '../gateway/bench-tenant';
import { TcpCutter } from '../../test/reliability/support/tcp-cutter';

const ROOT = join(__dirname, '..', '..');
const PUBLIC_BASE_URL = 'https://ivr.ringflow.test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REAL = process.argv.includes('--real');
const OUTAGE_MS = Number(process.env.RELIABILITY_OUTAGE_SECONDS ?? 30) * 1000;
const BEFORE_MS = Number(process.env.RELIABILITY_BEFORE_SECONDS ?? 10) * 1000;
const AFTER_MS = Number(process.env.RELIABILITY_AFTER_SECONDS ?? 20) * 1000;
const CALLERS = Number(process.env.RELIABILITY_CALLERS ?? 16);
const STEPS_PER_CALL = Number(process.env.RELIABILITY_STEPS_PER_CALL ?? 5);
const SWEEP_SECONDS = process.env.RELIABILITY_SWEEP_SECONDS ?? '2';
const RECORD_WAIT_MS = Number(process.env.RELIABILITY_RECORD_WAIT_SECONDS ?? 30) * 1000;
const TENANT_APOLOGY = 'Bench Bank is sorry: please call again in a few minutes.';
const PLATFORM_APOLOGY = 'We are sorry, we cannot take your call right now.';
const children: ChildProcess[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let phaseNow: Phase = 'before';
const currentPhase = () => phaseNow;

type Heard = 'flow' | 'tenant-fallback' | 'platform-fallback' | 'hangup' | 'other-200' | 'forbidden' | 'http-5xx' | 'http-other' | 'network-error';
type Phase = 'before' | 'outage' | 'after';

interface Answer { phase: Phase; kind: 'first' | 'step' | 'status'; heard: Heard; ms: number; at: number }

function classify(status: number, body: string): Heard {
  if (status >= 500) return 'http-5xx';
  if (status === 403) return 'forbidden';
  if (status === 204) return 'flow';
  if (status !== 200) return 'http-other';
  if (body.includes(TENANT_APOLOGY)) return 'tenant-fallback';
  if (body.includes(PLATFORM_APOLOGY)) return 'platform-fallback';
  if (/<Gather|<Redirect/.test(body)) return 'flow';
  if (body.includes('<Hangup')) return 'hangup';
  return 'other-200';
}

const ACTION = /<(?:Gather|Redirect)[^>]*?(?:action="([^"]+)"[^>]*)?>([^<]*)/;
function nextPath(twiml: string): string | undefined {
  const match = ACTION.exec(twiml);
  const url = (match?.[1] ?? match?.[2] ?? '').replace(/&amp;/g, '&');
  return url.startsWith(PUBLIC_BASE_URL) ? url.slice(PUBLIC_BASE_URL.length) : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startStub(): Promise<string> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'bench/gateway/servers.ts'), 'stub'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`stub exited with ${code}`)));
  });
  return `http://127.0.0.1:${first.split(' ')[1]}`;
}

async function startGateway(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/gateway/src/main.ts')], {
    cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 300; tries++) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return url;
    await sleep(200);
  }
  throw new Error('the gateway did not become ready in 60 s');
}

/** The machine's own cluster, stopped and started as STACK.md says; never left stopped. */
class RealPostgres {
  private readonly version = readdirSync('/etc/postgresql')[0];
  stopped = false;
  stop(): void {
    this.stopped = true;
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, 'main', 'stop', '-m', 'fast'], { stdio: 'inherit' });
  }
  start(): void {
    if (!this.stopped) return;
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', this.version, 'main', 'start'], { stdio: 'inherit' });
    this.stopped = false;
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

class Caller {
  private callSid = '';
  private path: string | undefined;
  private left = 0;
  readonly from = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  /** Calls that ran their flow and whose final status the gateway acknowledged: each should have a call record. */
  static readonly ended: { callSid: string; phase: Phase }[] = [];
  private ranFlow = false;
  constructor(private readonly gatewayUrl: string, private readonly tenant: BenchTenant, private readonly record: (kind: Answer['kind'], heard: Heard, ms: number) => void) {}

  private base(): Record<string, string> {
    return { CallSid: this.callSid, AccountSid: this.tenant.accountSid, From: this.from, To: this.tenant.number, Direction: 'inbound', CallStatus: 'in-progress' };
  }

  /** The body of a 2xx answer; undefined for anything else. */
  private async post(kind: Answer['kind'], path: string, params: Record<string, string>): Promise<string | undefined> {
    const signature = twilio.getExpectedTwilioSignature(this.tenant.authToken, `${PUBLIC_BASE_URL}${path}`, params);
    const t0 = performance.now();
    try {
      const response = await fetch(`${this.gatewayUrl}${path}`, {
        method: 'POST', body: new URLSearchParams(params).toString(), signal: AbortSignal.timeout(15_000),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      });
      const body = await response.text();
      this.record(kind, classify(response.status, body), performance.now() - t0);
      return response.status < 300 ? body : undefined;
    } catch {
      this.record(kind, 'network-error', performance.now() - t0);
      await sleep(100);
      return undefined;
    }
  }

  /** One webhook: a new call's first, a press of 1, or the final status when the call is done or cannot go on. */
  async next(): Promise<void> {
    if (!this.path || this.left <= 0) {
      if (this.callSid) {
        const acknowledged = await this.post('status', '/twilio/voice/status', { ...this.base(), CallStatus: 'completed', CallDuration: '30' });
        if (this.ranFlow && acknowledged !== undefined) Caller.ended.push({ callSid: this.callSid, phase: currentPhase() });
      }
      this.callSid = `CA${randomBytes(16).toString('hex')}`;
      this.path = nextPath((await this.post('first', '/twilio/voice', { ...this.base(), CallStatus: 'ringing' })) ?? '');
      this.ranFlow = this.path !== undefined;
      this.left = STEPS_PER_CALL;
      return;
    }
    this.path = nextPath((await this.post('step', this.path, { ...this.base(), Digits: '1' })) ?? '');
    this.left--;
  }
}

function summarise(answers: Answer[], phase: Phase): string[] {
  const mine = answers.filter((a) => a.phase === phase);
  const lines: string[] = [];
  for (const kind of ['first', 'step', 'status'] as const) {
    const of = mine.filter((a) => a.kind === kind);
    if (of.length === 0) continue;
    const counts = new Map<Heard, number>();
    for (const a of of) counts.set(a.heard, (counts.get(a.heard) ?? 0) + 1);
    const ms = Float64Array.from(of.map((a) => a.ms)).sort();
    const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1);
    const heard = [...counts].sort((x, y) => y[1] - x[1]).map(([h, n]) => `${h} ${n}`).join(', ');
    lines.push(`  ${kind.padEnd(6)} ${String(of.length).padStart(6)} answers: ${heard}; p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${ms[ms.length - 1].toFixed(0)} ms`);
  }
  return lines;
}

async function main(): Promise<void> {
  const secretsKey = randomBytes(32);
  const stubUrl = await startStub();
  const { tenant, database } = await benchTenant(stubUrl, secretsKey);
  const real = REAL ? new RealPostgres() : undefined;
  const restartOnSignal = () => {
    real?.start();
    process.exit(130);
  };
  process.once('SIGINT', restartOnSignal);
  process.once('SIGTERM', restartOnSignal);
  const pgUrl = new URL(database.appUrl);
  const cutter = new TcpCutter(pgUrl.hostname, Number(pgUrl.port || 5432));
  try {
    // The tenant's own apology, so what callers hear tells the tenant's fallback from the platform's.
    const setup = await new DataSource({ type: 'postgres', url: database.appUrl, poolSize: 1, entities: [TenantEntity, ApiKeyEntity, AuditEntryEntity] }).initialize();
    await new TenantsService(new TenantDatabase(setup)).update(tenant.tenantId as TenantId, { fallbackMessage: TENANT_APOLOGY }, 'operator');
    await setup.destroy();

    let gatewayDbUrl = database.appUrl;
    if (!REAL) {
      const port = await cutter.start();
      const relayed = new URL(database.appUrl);
      relayed.host = `127.0.0.1:${port}`;
      gatewayDbUrl = relayed.toString();
    }
    const gatewayUrl = await startGateway({
      DATABASE_URL: gatewayDbUrl, REDIS_URL, PUBLIC_BASE_URL, OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`,
      SECRETS_KEY: secretsKey.toString('hex'), LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL ?? 'silent', HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8',
      QUEUE_NAMESPACE: `rel-${randomBytes(3).toString('hex')}`, CALL_SWEEP_INTERVAL_SECONDS: SWEEP_SECONDS,
    });

    const answers: Answer[] = [];
    const t0 = performance.now();
    const record = (kind: Answer['kind'], heard: Heard, ms: number) => answers.push({ phase: phaseNow, kind, heard, ms, at: performance.now() - t0 });
    let running = true;
    const load = Promise.all(Array.from({ length: CALLERS }, async () => {
      const caller = new Caller(gatewayUrl, tenant, record);
      while (running) await caller.next();
    }));

    const readiness: { at: number; ok: boolean }[] = [];
    const probe = (async () => {
      while (running) {
        const ok = await fetch(`${gatewayUrl}/readyz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.ok, () => false);
        readiness.push({ at: performance.now() - t0, ok });
        await sleep(250);
      }
    })();

    await sleep(BEFORE_MS);
    phaseNow = 'outage';
    const cutAt = performance.now() - t0;
    if (real) real.stop();
    else cutter.cut();
    await sleep(OUTAGE_MS);
    if (real) real.start();
    else cutter.restore();
    const restoredAt = performance.now() - t0;
    phaseNow = 'after';
    await sleep(AFTER_MS);
    running = false;
    await Promise.all([load, probe]);

    const notReadyAt = readiness.find((r) => r.at >= cutAt && !r.ok)?.at;
    const readyAgainAt = readiness.find((r) => r.at >= restoredAt && r.ok)?.at;
    const firstFlowAfter = answers.find((a) => a.at >= restoredAt && a.kind === 'first' && a.heard === 'flow')?.at;
    const outageFirsts = answers.filter((a) => a.phase === 'outage' && a.kind === 'first');
    const firstFlowDuring = outageFirsts.filter((a) => a.heard === 'flow');
    const fmt = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(2)} s`);

    console.log(`Postgres outage: ${REAL ? 'the machine\'s cluster stopped (pg_ctlcluster stop -m fast / start)' : 'connections cut by a TCP relay in front of Postgres (the cluster keeps running)'}`);
    console.log(`${CALLERS} callers in a closed loop, ${STEPS_PER_CALL} presses per call; ${BEFORE_MS / 1000} s before, ${OUTAGE_MS / 1000} s outage, ${AFTER_MS / 1000} s after`);
    for (const p of ['before', 'outage', 'after'] as const) {
      console.log(`${p}:`);
      for (const line of summarise(answers, p)) console.log(line);
    }
    console.log(`/readyz not ready ${fmt(notReadyAt === undefined ? undefined : notReadyAt - cutAt)} after the cut; ready again ${fmt(readyAgainAt === undefined ? undefined : readyAgainAt - restoredAt)} after Postgres was back`);
    console.log(`first new call running its flow again: ${fmt(firstFlowAfter === undefined ? undefined : firstFlowAfter - restoredAt)} after Postgres was back`);
    console.log(`new calls during the outage that still ran the flow: ${firstFlowDuring.length} of ${outageFirsts.length}`);
    const owner = new Client({ connectionString: database.adminUrl });
    await owner.connect();
    // Records Postgres refused during the outage wait in Redis until the gateway's sweeper writes them: wait for them.
    const sids = Caller.ended.map((c) => c.callSid);
    const writtenSids = async () => new Set((await owner.query('SELECT call_sid FROM call_records WHERE call_sid = ANY($1)', [sids])).rows.map((r: { call_sid: string }) => r.call_sid));
    let written = await writtenSids();
    const waitStart = performance.now();
    while (written.size < new Set(sids).size && performance.now() - waitStart < RECORD_WAIT_MS) {
      await sleep(500);
      written = await writtenSids();
    }
    await owner.end();
    const waited = `${((performance.now() - waitStart) / 1000).toFixed(1)} s`;
    for (const p of ['before', 'outage', 'after'] as const) {
      const ended = Caller.ended.filter((c) => c.phase === p);
      console.log(`call records of flow calls ended (status acknowledged) ${p === 'outage' ? 'during the outage' : p}: ${ended.filter((c) => written.has(c.callSid)).length} of ${ended.length} written`);
    }
    console.log(`waited ${waited} after the run (${AFTER_MS / 1000} s after Postgres was back) for records still waiting in Redis (sweep every ${SWEEP_SECONDS} s)`);
    console.log(`5xx or network errors in all: ${answers.filter((a) => a.heard === 'http-5xx' || a.heard === 'network-error').length} of ${answers.length}`);
  } finally {
    real?.start();
    if (real) {
      let answered = false;
      for (let i = 0; i < 60 && !answered; i++) {
        answered = await postgresAnswers(database.adminUrl);
        if (!answered) await sleep(500);
      }
      console.log(answered ? 'Postgres answers again' : 'WARNING: Postgres does not answer; start it: pg_ctlcluster --skip-systemctl-redirect <version> main start');
    }
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await sleep(1000);
    await cutter.close().catch(() => undefined);
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
