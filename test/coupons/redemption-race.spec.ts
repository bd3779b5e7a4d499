import type { RedemptionResult } from '@ringflow/campaign';
import { couponFixture, type CouponFixture } from './coupon-fixture';

// The full size (100 attempts per coupon, 100,000 in all) runs in bench/coupons (run.ts through the service, http.ts over
// HTTP: 305 s there on 22 Nov). Here 20 per coupon: 20,000 attempts took 30-56 s on this shared 2-core machine, so the
// full size would take minutes, too long for a test.
const COUPONS = 1_000;
const ATTEMPTS_PER_COUPON = 20;
// Postgres here allows 100 connections, shared with whatever else is testing at the time.
const POOL = 40;

/** Runs the tasks with at most `width` in flight, in order, and returns their results in order. */
async function bounded<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

describe('redemption race', () => {
  let f: CouponFixture;

  beforeAll(async () => {
    f = await couponFixture({ poolSize: POOL });
  });
  afterAll(() => f.close());

  it(`${COUPONS} coupons, ${ATTEMPTS_PER_COUPON} concurrent redemptions of each (not the full 100; see bench/coupons) over ${POOL} connections: exactly ${COUPONS} succeed, every other attempt is already-redeemed`, async () => {
    const shop = await f.tenantWithPromotion('Race');
    const tills = await Promise.all(Array.from({ length: 4 }, (_, i) => f.merchants.create(shop.tenantId, { name: `Till ${i}` }, 'admin')));
    const coupons = await bounded(
      Array.from({ length: COUPONS }, (_, i) => () =>
        f.issuer.issue(shop.tenantId, { promotionId: shop.promotion.id, phone: '+14155550101', issueKey: `race-${i}` })),
      POOL,
    );

    // Coupon-major order: the connections in flight at any moment all fight over the same one or two coupons.
    const tasks = coupons.flatMap((coupon) =>
      Array.from({ length: ATTEMPTS_PER_COUPON }, (_, i) => () =>
        f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId: tills[i % tills.length].id })),
    );
    const started = Date.now();
    const results: RedemptionResult[] = await bounded(tasks, POOL);
    const seconds = (Date.now() - started) / 1000;

    const outcomes = new Map<string, number>();
    for (const r of results) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    expect(Object.fromEntries(outcomes)).toEqual({ redeemed: COUPONS, 'already-redeemed': COUPONS * (ATTEMPTS_PER_COUPON - 1) });
    const winners = results.flatMap((r) => (r.outcome === 'redeemed' ? [r.coupon.id] : []));
    expect(new Set(winners).size).toBe(COUPONS);

    const { rows } = await f.owner.query(`
      SELECT (SELECT count(*)::int FROM coupons WHERE redeemed_at IS NOT NULL) AS redeemed,
             (SELECT count(*)::int FROM coupon_events WHERE kind = 'redeemed') AS events,
             (SELECT count(*)::int FROM redemption_attempts) AS attempts`);
    expect(rows).toEqual([{ redeemed: COUPONS, events: COUPONS, attempts: COUPONS * ATTEMPTS_PER_COUPON }]);
    process.stdout.write(`redemption race: ${results.length} attempts in ${seconds.toFixed(1)} s (${Math.round(results.length / seconds)}/s)\n`);
  }, 120_000);
});
