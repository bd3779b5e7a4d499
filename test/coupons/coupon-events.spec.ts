import { CouponEventsService } from '@ringflow/campaign';
import { couponFixture, type CouponFixture } from './coupon-fixture';

describe('coupon events outbox', () => {
  let f: CouponFixture;
  let events: CouponEventsService;

  beforeAll(async () => {
    f = await couponFixture();
    events = new CouponEventsService(f.dataSource, f.db);
  });
  afterAll(() => f.close());

  it('lists each redemption once per tenant until it is marked processed; marking twice or from another tenant changes nothing', async () => {
    const a = await f.tenantWithPromotion('A');
    const b = await f.tenantWithPromotion('B');
    const redeemOne = async (t: typeof a, key: string) => {
      const coupon = await f.issuer.issue(t.tenantId, { promotionId: t.promotion.id, phone: '+14155550101', issueKey: key });
      await f.redeemer.redeem(t.tenantId, { serial: coupon.serial, merchantId: t.merchant.id });
      await f.redeemer.redeem(t.tenantId, { serial: coupon.serial, merchantId: t.merchant.id });
      return coupon;
    };
    const couponA = await redeemOne(a, 'a1');
    const couponB = await redeemOne(b, 'b1');

    const pending = await events.pending();
    expect(pending.map((e) => [e.tenantId, e.kind, e.couponId])).toEqual([
      [a.tenantId, 'redeemed', couponA.id],
      [b.tenantId, 'redeemed', couponB.id],
    ]);
    const [eventA, eventB] = pending;
    expect(await events.markProcessed(b.tenantId, [eventA.id])).toBe(0);
    expect(await events.markProcessed(a.tenantId, [eventA.id])).toBe(1);
    expect(await events.markProcessed(a.tenantId, [eventA.id])).toBe(0);
    expect((await events.pending()).map((e) => e.id)).toEqual([eventB.id]);
  });
});
