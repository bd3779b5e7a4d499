import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

/** Starts `src/main.ts` as the real process would run and resolves with its first log lines. */
function boot(env: Record<string, string>): { child: ChildProcess; logs: Record<string, unknown>[]; listening: Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const listening = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>;
        buffer = buffer.slice(nl + 1);
        logs.push(line);
        if (line.msg === 'telephony simulator listening') resolve(line.url as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
  listening.catch(() => undefined);
  return { child, logs, listening, exited };
}

describe('telephony-sim main', () => {
  it('boots on PORT, answers /healthz, logs JSON and shuts down cleanly on SIGTERM', async () => {
    const { child, logs, listening, exited } = boot({ PORT: '0', HOST: '127.0.0.1' });
    const url = await listening;
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logs.map((l) => l.msg)).toEqual(['telephony simulator listening', 'shutting down']);
    expect(logs[1]).toMatchObject({ signal: 'SIGTERM', name: 'telephony-sim' });
  });

  it('refuses a malformed PORT with a message naming it', async () => {
    const { logs, listening, exited } = boot({ PORT: 'eighty' });
    await expect(listening).rejects.toThrow('exited early with 1');
    expect(await exited).toBe(1);
    expect(logs[0]).toMatchObject({ msg: 'PORT must be a port number', PORT: 'eighty' });
  });
});
