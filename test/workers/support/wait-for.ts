import Redis from 'ioredis';

/** Polls `check` until it holds, or fails naming what was awaited. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Removes a test file's Redis keys: its BullMQ queues (`{ns}...`) and its pacing keys (`ns:...`). */
export async function dropNamespace(namespace: string, url = 'redis://127.0.0.1:6379'): Promise<void> {
  const redis = new Redis(url);
  const keys = [...(await redis.keys(`{${namespace}}*`)), ...(await redis.keys(`${namespace}:*`))];
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
