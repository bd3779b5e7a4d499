import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** worker-calls as a process of its own (apps/worker-calls/src/main.ts), with the given environment. */
export class WorkerProcess {
  private child: ChildProcess | null = null;
  stderr = '';

  constructor(private readonly env: Record<string, string>) {}

  /** Starts it and resolves once it logged that it started. */
  async start(timeoutMs = 20_000): Promise<void> {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'apps', 'worker-calls', 'src', 'main.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk) => (this.stderr += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker-calls did not start within ${timeoutMs} ms: ${this.stderr.slice(-2000)}`)), timeoutMs);
      let out = '';
      child.stdout?.on('data', (chunk) => {
        out += chunk;
        if (out.includes('worker-calls started')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker-calls exited with ${code}: ${this.stderr.slice(-2000)}`));
      });
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Resident memory in MB (Linux /proc), or null once gone. */
  rssMb(): number | null {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
      return kb / 1024;
    } catch {
      return null;
    }
  }

  /** Stops it with a signal and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}
