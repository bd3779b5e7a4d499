import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DialPacer, type PaceLimits } from '@ringflow/campaign';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function maxInAnyWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let hi = 0, lo = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('DialPacer against Redis', () => {
  const namespace = `test-pacer-${randomBytes(4).toString('hex')}`;
  // Two connections stand for two worker processes sharing nothing but Redis.
  const connections = [new Redis('redis://127.0.0.1:6379'), new Redis('redis://127.0.0.1:6379')];
  const pacers = connections.map((c) => new DialPacer(c, { namespace, horizonMs: 500 }));
  afterAll(async () => {
    const keys = await connections[0].keys(`${namespace}:*`);
    if (keys.length) await connections[0].del(...keys);
    for (const c of connections) c.disconnect();
  });

  /** Dialers on both "processes" for one tenant, each doing what the dial job does with the pacer's answer. */
  async function dialFor(tenantId: string, limits: PaceLimits, dialers: number, ms: number): Promise<number[]> {
    const times: number[] = [];
    const campaignId = randomUUID();
    const until = Date.now() + ms;
    await Promise.all(
      Array.from({ length: dialers }, async (_, d) => {
        const pacer = pacers[d % 2];
        for (let n = 0; Date.now() < until; n++) {
          const attemptKey = `${d}/${n}`;
          let reserved = false;
          for (;;) {
            const decision = await pacer.acquire({ tenantId, campaignId, attemptKey, tenant: limits, campaign: { callsPerSecond: 1000, maxConcurrentCalls: 1000 }, reserved });
            if (decision.kind === 'go') break;
            reserved = decision.reserved;
            await sleep(decision.ms);
          }
          times.push(Date.now());
          await sleep(5); // the request to Twilio
          await pacer.settle(tenantId, campaignId, attemptKey, true);
          await pacer.release(tenantId, campaignId, attemptKey);
        }
      }),
    );
    return times;
  }

  it('holds each tenant to its own calls per second across processes, side by side', async () => {
    const [a, b] = await Promise.all([
      dialFor(randomUUID(), { callsPerSecond: 5, maxConcurrentCalls: 100 }, 8, 3000),
      dialFor(randomUUID(), { callsPerSecond: 25, maxConcurrentCalls: 100 }, 16, 3000),
    ]);
    expect(maxInAnyWindow(a)).toBeLessThanOrEqual(5);
    expect(maxInAnyWindow(b)).toBeLessThanOrEqual(25);
    // Neither starved: each got most of its own rate over the three seconds.
    expect(a.length).toBeGreaterThanOrEqual(12);
    expect(b.length).toBeGreaterThanOrEqual(60);
  }, 15_000);

  it('caps calls in flight per tenant until one is released', async () => {
    const tenantId = randomUUID();
    const campaignId = randomUUID();
    const limits = { callsPerSecond: 1000, maxConcurrentCalls: 2 };
    const ask = (key: string, pacer = pacers[0]) =>
      pacer.acquire({ tenantId, campaignId, attemptKey: key, tenant: limits, campaign: { callsPerSecond: 1000, maxConcurrentCalls: 1000 }, reserved: false });
    expect(await ask('a')).toEqual({ kind: 'go' });
    expect(await ask('b', pacers[1])).toEqual({ kind: 'go' });
    expect(await ask('c')).toMatchObject({ kind: 'wait', reason: 'busy' });
    expect(await pacers[1].inFlight(tenantId)).toBe(2);
    await pacers[1].release(tenantId, campaignId, 'a');
    expect(await ask('c')).toEqual({ kind: 'go' });
  });
});
