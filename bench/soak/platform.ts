// The soak's platform: every app as its own process from a snapshot of the build, on a database of the soak's own
// (cloned from the tests' migrated template) and a BullMQ namespace of its own. Logs go to files and are read as
// they come: lines at level error/fatal are counted, and a line naming two tenants is flagged.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import globalSetup from '../../test/global-setup';

export const APPS = ['telephony-sim', 'gateway', 'admin-api', 'worker-calls', 'worker-sms', 'worker-redemptions'] as const;
export type AppName = (typeof APPS)[number];
const ROOT = join(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A log line at level error or fatal (pino: 50, 60). */
export interface SevereLine { app: AppName; at: number; level: string; msg: string; line: string }

export interface PlatformOptions {
  outDir: string;
  /** The URL Twilio (the simulator) calls: the soak's timing proxy in front of the gateway. */
  publicBaseUrl: string;
  gatewayPort: number;
  onSevere: (line: SevereLine) => void;
  /** Called with every JSON log line; answers whether it names more than one tenant. */
  tenantsIn: (line: string) => number;
}

export class SoakPlatform {
  readonly children = new Map<AppName, ChildProcess>();
  readonly ports: Partial<Record<AppName, number>> = {};
  readonly operatorKey = `op_${randomBytes(24).toString('hex')}`;
  readonly namespace = `soak${randomBytes(4).toString('hex')}`;
  database?: TestDatabase;
  mixedTenantLines: string[] = [];
  logLineCounts: Record<string, number> = {};
  private readonly logs: WriteStream[] = [];
  private buildDir = '';
  private readonly t0 = Date.now();
  private stopping = false;
  readonly exits: string[] = [];

  constructor(private readonly options: PlatformOptions) {}

  get simUrl(): string { return `http://127.0.0.1:${this.ports['telephony-sim']}`; }
  get adminUrl(): string { return `http://127.0.0.1:${this.ports['admin-api']}/graphql`; }
  get gatewayUrl(): string { return `http://127.0.0.1:${this.options.gatewayPort}`; }

  /** Copies dist/ so a rebuild by someone else during the run cannot swap files under the running apps. */
  private snapshotBuild(): void {
    const dist = join(ROOT, 'dist');
    if (!existsSync(join(dist, 'apps', 'gateway', 'main.js'))) throw new Error('no build: run `npm run build` first (dist/apps/<app>/main.js)');
    // Under bench/soak/.run (git-ignored) so the apps still resolve the repository's node_modules.
    this.buildDir = join(__dirname, '.run', `build-${this.namespace}`);
    cpSync(dist, join(this.buildDir, 'dist'), { recursive: true });
  }

  async start(): Promise<void> {
    this.snapshotBuild();
    await globalSetup();
    this.database = await createTestDatabase();
    const [sim, admin] = [await freePort(), await freePort()];
    Object.assign(this.ports, { 'telephony-sim': sim, gateway: this.options.gatewayPort, 'admin-api': admin });
    const env = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: this.database.appUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      PUBLIC_BASE_URL: this.options.publicBaseUrl,
      OPERATOR_API_KEY: this.operatorKey,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      TWILIO_API_BASE_URL: this.simUrl,
      HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8',
      QUEUE_NAMESPACE: this.namespace,
      LOG_LEVEL: 'info',
    };
    for (const app of APPS) this.spawnApp(app, env);
    const ok = (url: string) => () => fetch(url).then((r) => r.ok, () => false);
    await this.until('telephony-sim', ok(`${this.simUrl}/healthz`));
    await this.until('gateway', ok(`${this.gatewayUrl}/readyz`));
    await this.until('admin-api', ok(`http://127.0.0.1:${admin}/readyz`));
    for (const worker of ['worker-calls', 'worker-sms', 'worker-redemptions'] as const) {
      await this.until(worker, async () => (this.logLineCounts[`${worker} started`] ?? 0) > 0);
    }
  }

  private spawnApp(app: AppName, env: Record<string, string>): void {
    const port = this.ports[app];
    const child = spawn(process.execPath, [join(this.buildDir, 'dist', 'apps', app, 'main.js')], {
      cwd: ROOT,
      env: { ...env, ...(port !== undefined ? { PORT: String(port), HOST: '127.0.0.1' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file = createWriteStream(join(this.options.outDir, `${app}.log`));
    this.logs.push(file);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        file.write(`${line}\n`);
        this.onLine(app, line);
      });
    }
    child.once('exit', (code, signal) => {
      if (!this.stopping) this.exits.push(`${app} exited during the run (code ${code}, signal ${signal})`);
    });
    this.children.set(app, child);
  }

  private onLine(app: AppName, line: string): void {
    let entry: { level?: string | number; msg?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      // Not a log line of ours (a Node warning on stderr, a crash trace): counted with the severe ones.
      this.options.onSevere({ app, at: Date.now() - this.t0, level: 'not-json', msg: line.slice(0, 200), line });
      return;
    }
    if (typeof entry.msg === 'string' && entry.msg.startsWith(`${app} started`)) this.logLineCounts[`${app} started`] = 1;
    const level = String(entry.level);
    this.logLineCounts[`${app} ${level}`] = (this.logLineCounts[`${app} ${level}`] ?? 0) + 1;
    if (level === 'error' || level === 'fatal' || level === '50' || level === '60') {
      this.options.onSevere({ app, at: Date.now() - this.t0, level, msg: String(entry.msg ?? ''), line });
    }
    if (this.options.tenantsIn(line) > 1 && this.mixedTenantLines.length < 20) this.mixedTenantLines.push(`${app}: ${line.slice(0, 300)}`);
  }

  private async until(what: string, check: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      const child = this.children.get(what as AppName);
      if (child && child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}; see ${this.options.outDir}/${what}.log`);
      if (Date.now() > deadline) throw new Error(`${what} did not come up in ${timeoutMs / 1000} s; see ${this.options.outDir}/${what}.log`);
      await sleep(250);
    }
  }

  /** Resident set size of each app process, in MB (from /proc, so it costs the apps nothing). */
  rssMb(app: AppName): number | undefined {
    const pid = this.children.get(app)?.pid;
    if (!pid) return undefined;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** CPU seconds (user + system) the app process has used, from /proc/<pid>/stat. */
  cpuSeconds(app: AppName): number | undefined {
    const pid = this.children.get(app)?.pid;
    if (!pid) return undefined;
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }

  /** V8 heap used, from the app's Prometheus /metrics (only the apps with an HTTP server have one). */
  async heapUsedMb(app: AppName): Promise<number | undefined> {
    const port = this.ports[app];
    if (port === undefined || app === 'telephony-sim') return undefined;
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
      const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([0-9.e+]+)/m.exec(text);
      return match ? Number(match[1]) / 1024 / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stops every app (SIGTERM, then SIGKILL after 15 s), drops the database and the build snapshot. */
  async stop(tenantIds: string[] = []): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.children.values()].map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => { clearTimeout(force); resolve(); });
      child.kill('SIGTERM');
    })));
    for (const log of this.logs) log.end();
    await this.database?.drop().catch((error: Error) => console.error(`soak: could not drop ${this.database?.name}: ${error.message}`));
    if (this.buildDir) rmSync(this.buildDir, { recursive: true, force: true });
    // Queues and pacing under the namespace; sessions, limits and markers carry the tenant id (fresh tenants).
    await dropKeys([`{${this.namespace}}*`, `${this.namespace}:*`, ...tenantIds.map((id) => `*${id}*`)], process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  }
}

/** Deletes the Redis keys matching the patterns. */
async function dropKeys(patterns: string[], url: string): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } catch (error) {
    console.error(`soak: could not clean Redis keys ${patterns.join(', ')}: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}
