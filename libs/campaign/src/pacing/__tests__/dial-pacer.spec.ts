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

  /**
   * Dialers on both "processes" for one tenant, each doing what the dial job does with the pacer's answers.
   * Returns when each request reached "Twilio": a random moment between its admission and its answer.
   */
  async function dialFor(tenantId: string, limits: PaceLimits, dialers: number, ms: number, latencyMs: () => number = () => 5): Promise<number[]> {
    const arrivals: number[] = [];
    const campaignId = randomUUID();
    const until = Date.now() + ms;
    const campaign = { callsPerSecond: 1000, maxConcurrentCalls: 1000 };
    await Promise.all(
      Array.from({ length: dialers }, async (_, d) => {
        const pacer = pacers[d % 2];
        for (let n = 0; Date.now() < until; n++) {
          const attemptKey = `${d}/${n}`;
          const input = { tenantId, campaignId, attemptKey, tenant: limits, campaign };
          for (;;) {
            const reservation = await pacer.reserve(input);
            if (reservation.kind === 'slot') {
              await sleep(reservation.inMs);
              break;
            }
            await sleep(reservation.ms);
          }
          expect(await pacer.admit(input, 5000)).toBe(true);
          const sent = Date.now();
          const latency = latencyMs();
          arrivals.push(sent + Math.random() * latency);
          await sleep(latency); // the request to Twilio
          await pacer.settle(tenantId, campaignId, attemptKey, true);
          await pacer.release(tenantId, campaignId, attemptKey);
        }
      }),
    );
    return arrivals;
  }

  it('holds each tenant to its own calls per second across processes, side by side', async () => {
    const [a, b] = await Promise.all([
      dialFor(randomUUID(), { callsPerSecond: 5, maxConcurrentCalls: 100 }, 8, 3000),
      dialFor(randomUUID(), { callsPerSecond: 25, maxConcurrentCalls: 100 }, 16, 3000),
    ]);
    expect(maxInAnyWindow(a)).toBeLessThanOrEqual(5);
    expect(maxInAnyWindow(b)).toBeLessThanOrEqual(25);
    // Neither starved: each got its own rate over the three seconds (slots are taken from the first moment).
    expect(a.length).toBeGreaterThanOrEqual(14);
    expect(b.length).toBeGreaterThanOrEqual(70);
  }, 15_000);

  it('keeps every one-second window within the rate when requests are slow and uneven', async () => {
    // Requests take 5 to 300 ms: Twilio may see a late one next to the following second's dials.
    const tenantId = randomUUID();
    const arrivals = await dialFor(tenantId, { callsPerSecond: 10, maxConcurrentCalls: 100 }, 20, 3000, () => (Math.random() < 0.2 ? 300 : 5));
    expect(maxInAnyWindow(arrivals)).toBeLessThanOrEqual(10);
    expect(arrivals.length).toBeGreaterThanOrEqual(24);
    // The slots' spacing has learned the latency it must allow for.
    expect(await pacers[0].latencyEstimate(tenantId)).toBeGreaterThan(5);
  }, 15_000);

  it('holds a reserved slot for its dial: asking again answers the same slot, not a new one', async () => {
    const tenantId = randomUUID();
    const campaignId = randomUUID();
    const limits = { callsPerSecond: 2, maxConcurrentCalls: 10 };
    const ask = (attemptKey: string, pacer = pacers[0]) => pacer.reserve({ tenantId, campaignId, attemptKey, tenant: limits, campaign: limits });
    const askedAt = Date.now();
    expect(await ask('a')).toEqual({ kind: 'slot', inMs: 0 });
    const b = await ask('b');
    // b's slot is half a second (CPS 2) after a's; what has passed since a's was taken is already counted off.
    const atB = Date.now() - askedAt;
    expect(b).toMatchObject({ kind: 'slot' });
    expect(b.kind === 'slot' && b.inMs).toBeGreaterThanOrEqual(500 - atB - 1);
    const again = await ask('b', pacers[1]);
    const atAgain = Date.now() - askedAt;
    expect(again.kind === 'slot' && again.inMs).toBeLessThanOrEqual(b.kind === 'slot' ? b.inMs : -1);
    expect(again.kind === 'slot' && again.inMs).toBeGreaterThanOrEqual(500 - atAgain - 1);
    // The next slot is a second away, past these pacers' horizon (500 ms): nothing is held for it.
    expect(await ask('c')).toMatchObject({ kind: 'wait', reason: 'later' });
  });

  it('says how far ahead the slots are given out: nothing for a new campaign, the next free slot after reservations', async () => {
    const tenantId = randomUUID();
    const campaignId = randomUUID();
    const limits = { callsPerSecond: 4, maxConcurrentCalls: 10 };
    expect(await pacers[0].schedule(tenantId, campaignId)).toEqual({ aheadMs: 0, slackMs: 0 });
    for (const attemptKey of ['a', 'b', 'c']) await pacers[0].reserve({ tenantId, campaignId, attemptKey, tenant: limits, campaign: limits });
    // Three slots at CPS 4 (250 ms apart, from now): the next one free is about 750 ms away, on either process.
    const ahead = (await pacers[1].schedule(tenantId, campaignId)).aheadMs;
    expect(ahead).toBeGreaterThan(650);
    expect(ahead).toBeLessThanOrEqual(750);
    // Another campaign of the tenant shares the tenant's slots; another tenant does not.
    expect((await pacers[1].schedule(tenantId, randomUUID())).aheadMs).toBeGreaterThan(650);
    expect((await pacers[1].schedule(randomUUID(), campaignId)).aheadMs).toBe(0);
  });

  it('caps calls in flight per tenant until one is released', async () => {
    const tenantId = randomUUID();
    const campaignId = randomUUID();
    const limits = { callsPerSecond: 1000, maxConcurrentCalls: 2 };
    const ask = (key: string, pacer = pacers[0]) =>
      pacer.reserve({ tenantId, campaignId, attemptKey: key, tenant: limits, campaign: { callsPerSecond: 1000, maxConcurrentCalls: 1000 } });
    expect(await ask('a')).toMatchObject({ kind: 'slot' });
    expect(await ask('b', pacers[1])).toMatchObject({ kind: 'slot' });
    expect(await ask('c')).toMatchObject({ kind: 'wait', reason: 'busy' });
    expect(await pacers[1].inFlight(tenantId)).toBe(2);
    await pacers[1].release(tenantId, campaignId, 'a');
    expect(await ask('c')).toMatchObject({ kind: 'slot' });
  });
});
