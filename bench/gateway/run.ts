// Run: node -r @swc-node/register bench/gateway/run.ts
// Options (env): BENCH_CONCURRENCY (callers, default "1,8,32,128"), BENCH_SECONDS (measured per run, 5),
// BENCH_WARMUP_SECONDS (2), BENCH_RATE (fixed-rate run, steps/s, 5000), BENCH_CALLS (calls of the fixed-rate run, all started
// at once, 256), BENCH_STEPS_PER_CALL (20), BENCH_CONCURRENCY=none (the fixed-rate run only),
// BENCH_PROFILE=1 (also a CPU profile of the gateway during one run at BENCH_PROFILE_CONCURRENCY, 32), BENCH_LOG_LEVEL (info).
// BENCH_COMPARE_ROOT=<another checkout> also runs a second gateway from that tree (e.g. `git archive` of a base commit,
// with node_modules linked) and measures it right after this tree's at each point, BENCH_REPEAT (1) times in
// alternation: on a busy machine, the same load for both within seconds is the fair comparison.
// Needs the local Postgres and Redis (as the tests do). Loopback only; bounded durations.
//
// Drives signed webhook steps of a realistic flow (menu -> HTTP lookup on a local stub -> condition -> say -> menu)
// against one gateway process, and the same load against two references in their own processes: a bare Fastify
// route answering fixed TwiML, and a minimal real step (signature check, Redis GET+SET, twilio TwiML builder).
// This process is the load generator (undici, keep-alive); the stub tenant API is another child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Redis from 'ioredis';
import { benchTenant } from './bench-tenant';
import { closedLoop, openLoop, type Figures, type Target } from './load';
import { summarise } from './profile-summary';

const ROOT = join(__dirname, '..', '..');
const PUBLIC_BASE_URL = 'https://ivr.ringflow.test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONCURRENCY = process.env.BENCH_CONCURRENCY === 'none' ? [] : (process.env.BENCH_CONCURRENCY ?? '1,8,32,128').split(',').map(Number);
const MEASURE_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2) * 1000;
const RATE = Number(process.env.BENCH_RATE ?? 5000);
const STEPS_PER_CALL = Number(process.env.BENCH_STEPS_PER_CALL ?? 20);
const OPEN_CALLS = Number(process.env.BENCH_CALLS ?? 256);
const PROFILE = process.env.BENCH_PROFILE === '1';
const PROFILE_CONCURRENCY = Number(process.env.BENCH_PROFILE_CONCURRENCY ?? 32);
const COMPARE_ROOT = process.env.BENCH_COMPARE_ROOT;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);
const children: ChildProcess[] = [];
const servers = new Map<string, ChildProcess>();

/** CPU time (user + system, ms) a process has used so far: robust to a loaded machine, unlike rates. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Runs the load and adds the server's CPU time per webhook (µs) to its figures. */
async function withCpu<T extends Figures>(pid: number | undefined, run: () => Promise<T>): Promise<T & { cpuUs: number }> {
  const before = cpuMs(pid);
  const figures = await run();
  return { ...figures, cpuUs: ((cpuMs(pid) - before) * 1000) / figures.sent };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A child of ours on 127.0.0.1; resolves with its port once it says `listening <port>`. */
async function startServer(mode: 'bare' | 'minimal' | 'stub', env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'servers.ts'), mode], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  servers.set(mode, child);
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return `http://127.0.0.1:${first.split(' ')[1]}`;
}

/** Each gateway's log (its stdout) goes to a file of its own in the temp dir: the figures alone cannot say why a call failed. */
async function startGateway(env: Record<string, string>, root = ROOT): Promise<{ url: string; child: ChildProcess; log: string }> {
  const port = await freePort();
  const entry = PROFILE && root === ROOT ? join(__dirname, 'profiled-gateway.ts') : join(root, 'apps/gateway/src/main.ts');
  const log = join(tmpdir(), `ringflow-bench-gateway-${process.pid}-${root === ROOT ? 'this' : 'compared'}.log`);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
    cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', openSync(log, 'w'), 'inherit', ...(PROFILE ? ['ipc' as const] : [])],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return { url, child, log };
    if (tries > 300) throw new Error('the gateway did not become ready in 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Other work on the machine (tests, builds) skews every figure: each block says how loaded the machine was. */
const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on 2 cores`;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
function row(label: string, f: Figures & { cpuUs: number }, reference?: Figures): string {
  const ratio = reference ? `${fmt((100 * f.perSecond) / reference.perSecond, 0).padStart(4)} %` : '';
  return `${label.padEnd(28)} ${Math.round(f.perSecond).toString().padStart(7)}/s  p50 ${fmt(f.p50ms).padStart(6)} ms  p99 ${fmt(f.p99ms).padStart(6)} ms  ` +
    `CPU ${fmt(f.cpuUs, 0).padStart(5)} µs/webhook  errors ${String(f.errors).padStart(3)}  ${ratio}`;
}

async function removeKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

async function main(): Promise<void> {
  const secretsKey = randomBytes(32);
  const stubUrl = await startServer('stub');
  const { tenant, database } = await benchTenant(stubUrl, secretsKey);
  try {
    const profileFile = join(tmpdir(), `ringflow-gateway-${process.pid}.cpuprofile`);
    const gatewayEnv = {
      DATABASE_URL: database.appUrl, REDIS_URL, PUBLIC_BASE_URL, OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`,
      SECRETS_KEY: secretsKey.toString('hex'), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8',
      QUEUE_NAMESPACE: `bench-${randomBytes(3).toString('hex')}`, BENCH_PROFILE_FILE: profileFile,
    };
    const gateway = await startGateway(gatewayEnv);
    const compared = COMPARE_ROOT ? await startGateway(gatewayEnv, COMPARE_ROOT) : undefined;
    const refEnv = { BENCH_AUTH_TOKEN: tenant.authToken, BENCH_PUBLIC_BASE_URL: PUBLIC_BASE_URL, REDIS_URL };
    const [bareUrl, minimalUrl] = [await startServer('bare', refEnv), await startServer('minimal', refEnv)];
    const target = (url: string): Target => ({ url, publicBaseUrl: PUBLIC_BASE_URL, ...tenant });

    console.log(`node ${process.version}; gateway, references, stub API, Redis, Postgres and this load generator share the machine; ${load()}`);
    console.log(`step = signed webhook "Digits=1": menu -> http GET on the stub -> condition -> say -> menu; ${STEPS_PER_CALL} steps per call`);
    console.log(`(each call also sends an untimed first webhook and a status callback); ${WARMUP_MS / 1000} s warm-up, ${MEASURE_MS / 1000} s measured`);
    console.log(`gateway logs: ${[gateway, compared].filter(Boolean).map((g) => g!.log).join(', ')}\n`);
    for (const concurrency of CONCURRENCY) {
      const run = (url: string, pid: number | undefined) => withCpu(pid, () => closedLoop(target(url), concurrency, WARMUP_MS, MEASURE_MS, STEPS_PER_CALL));
      for (let round = 0; round < REPEAT; round++) {
        const bare = await run(bareUrl, servers.get('bare')?.pid);
        const minimal = await run(minimalUrl, servers.get('minimal')?.pid);
        // In alternation, which gateway goes first: neither always gets the machine just after the references.
        const otherFirst = compared && round % 2 === 1 ? await run(compared.url, compared.child.pid) : undefined;
        const real = await run(gateway.url, gateway.child.pid);
        const other = otherFirst ?? (compared ? await run(compared.url, compared.child.pid) : undefined);
        console.log(`${concurrency} concurrent callers (closed loop)                                          % of minimal step`);
        console.log(row('  bare Fastify, fixed TwiML', bare));
        console.log(row('  minimal real step', minimal));
        console.log(row('  gateway, flow step', real, minimal));
        if (other) console.log(`${row('  compared gateway', other, minimal)}  (this tree: ${fmt((100 * real.cpuUs) / other.cpuUs, 0)} % of its CPU per webhook)`);
        console.log(`  gateway / bare Fastify: ${fmt((100 * real.perSecond) / bare.perSecond, 0)} %; minimal / bare: ${fmt((100 * minimal.perSecond) / bare.perSecond, 0)} %; ${load()}\n`);
      }
    }

    console.log(`fixed rate ${RATE} steps/s (open loop, ${OPEN_CALLS} calls; latency from when each step was due)`);
    const openTargets: [string, string, number | undefined][] = [
      ['  minimal real step', minimalUrl, servers.get('minimal')?.pid], ['  gateway, flow step', gateway.url, gateway.child.pid],
      ...(compared ? [['  compared gateway', compared.url, compared.child.pid] as [string, string, number | undefined]] : []),
    ];
    for (const [label, url, pid] of openTargets) {
      const f = await withCpu(pid, () => openLoop(target(url), RATE, OPEN_CALLS, WARMUP_MS, MEASURE_MS, STEPS_PER_CALL));
      console.log(`${row(label, f)}  late (no idle call) ${f.skipped}`);
    }
    console.log(`  ${load()}`);

    if (PROFILE) {
      gateway.child.send('start');
      const profiled = await closedLoop(target(gateway.url), PROFILE_CONCURRENCY, 1000, MEASURE_MS, STEPS_PER_CALL);
      const written = new Promise((resolve) => gateway.child.once('message', resolve));
      gateway.child.send('stop');
      await written;
      console.log(`\nCPU profile of the gateway, ${PROFILE_CONCURRENCY} callers (${Math.round(profiled.perSecond)} steps/s under the profiler): ${profileFile}`);
      for (const line of summarise(profileFile, 25)) console.log(line);
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await database.drop();
    await removeKeys(`rf:{${tenant.tenantId}}:*`);
    await removeKeys('rf-bench:*');
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exit(1);
});
