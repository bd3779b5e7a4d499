import { randomUUID } from 'node:crypto';
import { formatSerial, redemptionFailure, SERIAL_ALPHABET, type CouponEntity } from '@ringflow/campaign';
import { couponFixture, type CouponFixture } from './coupon-fixture';

describe('redeeming coupons', () => {
  let f: CouponFixture;
  let shop: Awaited<ReturnType<CouponFixture['tenantWithPromotion']>>;
  let n = 0;
  const issue = (): Promise<CouponEntity> =>
    f.issuer.issue(shop.tenantId, { promotionId: shop.promotion.id, phone: '+14155550101', issueKey: `k${++n}` });
  const attempts = async (merchantId: string) =>
    (await f.owner.query(`SELECT serial_given, outcome, coupon_id, idempotency_key, host(ip) AS ip FROM redemption_attempts WHERE merchant_id = $1 ORDER BY id`, [merchantId])).rows;

  beforeAll(async () => {
    f = await couponFixture();
    shop = await f.tenantWithPromotion('Shop');
  });
  afterAll(() => f.close());

  it('redeems a serial as printed once, then answers already-redeemed with when and where', async () => {
    const coupon = await issue();
    const first = await f.redeemer.redeem(shop.tenantId, { serial: formatSerial(coupon.serial), merchantId: shop.merchant.id, orderAmount: '12.5', ip: '203.0.113.9' });
    expect(first).toMatchObject({
      outcome: 'redeemed', replayed: false,
      coupon: { id: coupon.id, redeemedByMerchantId: shop.merchant.id, orderAmount: '12.50' },
      promotion: { id: shop.promotion.id, offer: 'A free coffee' },
    });
    const redeemedAt = first.outcome === 'redeemed' ? first.coupon.redeemedAt : null;
    expect(redeemedAt).toBeInstanceOf(Date);

    const second = await f.redeemer.redeem(shop.tenantId, { serial: coupon.serial.toLowerCase(), merchantId: shop.merchant.id });
    expect(second).toEqual({ outcome: 'already-redeemed', at: redeemedAt, merchant: { id: shop.merchant.id, name: 'Shop Cafe' }, replayed: false });
    expect(redemptionFailure(second)).toMatchObject({ code: 'already-redeemed' });
  });

  it('records every attempt, and writes one redeemed event in the same transaction as the redemption', async () => {
    const merchant = await f.merchants.create(shop.tenantId, { name: 'Audit Till' }, 'admin');
    const coupon = await issue();
    for (const serial of [coupon.serial, coupon.serial, 'nonsense', coupon.serial.slice(0, 14) + (coupon.serial[14] === '0' ? '1' : '0')]) {
      await f.redeemer.redeem(shop.tenantId, { serial, merchantId: merchant.id, ip: '2001:db8::1' });
    }
    expect((await attempts(merchant.id)).map((a: { outcome: string }) => a.outcome)).toEqual(['redeemed', 'already-redeemed', 'malformed', 'check-failed']);
    expect((await attempts(merchant.id))[0]).toEqual({ serial_given: coupon.serial, outcome: 'redeemed', coupon_id: coupon.id, idempotency_key: null, ip: '2001:db8::1' });
    const { rows } = await f.owner.query(`SELECT tenant_id, kind, processed_at FROM coupon_events WHERE coupon_id = $1`, [coupon.id]);
    expect(rows).toEqual([{ tenant_id: shop.tenantId, kind: 'redeemed', processed_at: null }]);
  });

  it('tells malformed serials from typos and from serials nobody issued', async () => {
    const coupon = await issue();
    const typo = coupon.serial.slice(0, 3) + SERIAL_ALPHABET[(SERIAL_ALPHABET.indexOf(coupon.serial[3]) + 7) % 32] + coupon.serial.slice(4);
    const redeem = (serial: string) => f.redeemer.redeem(shop.tenantId, { serial, merchantId: shop.merchant.id });
    expect(await redeem(typo)).toEqual({ outcome: 'check-failed', replayed: false });
    expect(await redeem('ABC')).toEqual({ outcome: 'malformed', reason: 'a serial has 15 characters, this has 3', replayed: false });
    expect(await redeem('')).toMatchObject({ outcome: 'malformed' });
    const other = await f.tenantWithPromotion('Elsewhere');
    const foreign = await f.issuer.issue(other.tenantId, { promotionId: other.promotion.id, phone: '+14155550199', issueKey: 'x' });
    expect(await redeem(foreign.serial)).toEqual({ outcome: 'unknown', replayed: false });
    const untouched = await f.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [foreign.id]);
    expect(untouched.rows).toEqual([{ redeemed_at: null }]);
    expect(await redeem(coupon.serial)).toMatchObject({ outcome: 'redeemed' });
  });

  it('answers expired for a coupon past its expiry, and does not redeem it', async () => {
    const coupon = await issue();
    await f.owner.query(`UPDATE coupons SET expires_at = now() - interval '1 minute' WHERE id = $1 RETURNING expires_at`, [coupon.id]);
    const result = await f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId: shop.merchant.id });
    expect(result).toMatchObject({ outcome: 'expired', expiredAt: expect.any(Date), replayed: false });
    expect(redemptionFailure(result)).toMatchObject({ code: 'expired' });
    const { rows } = await f.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [coupon.id]);
    expect(rows).toEqual([{ redeemed_at: null }]);
  });

  it('gives a POS retry with the same idempotency key the first answer, even a redeemed one', async () => {
    const merchant = await f.merchants.create(shop.tenantId, { name: 'POS 7' }, 'admin');
    const coupon = await issue();
    const command = { serial: coupon.serial, merchantId: merchant.id, idempotencyKey: 'order-991' };
    const first = await f.redeemer.redeem(shop.tenantId, command);
    const retried = await f.redeemer.redeem(shop.tenantId, { ...command, serial: formatSerial(coupon.serial) });
    expect(first).toMatchObject({ outcome: 'redeemed', replayed: false });
    expect(retried).toEqual({ ...first, replayed: true });
    const withoutKey = await f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId: merchant.id });
    expect(withoutKey.outcome).toBe('already-redeemed');
    expect((await attempts(merchant.id)).map((a: { outcome: string }) => a.outcome)).toEqual(['redeemed', 'already-redeemed']);
    const other = await issue();
    await expect(f.redeemer.redeem(shop.tenantId, { ...command, serial: other.serial }))
      .rejects.toMatchObject({ code: 'idempotency-conflict' });
    // The refused retry left the other coupon live and recorded nothing.
    expect((await f.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [other.id])).rows).toEqual([{ redeemed_at: null }]);
    expect(await attempts(merchant.id)).toHaveLength(2);
    expect(await f.redeemer.redeem(shop.tenantId, { serial: other.serial, merchantId: merchant.id })).toMatchObject({ outcome: 'redeemed' });
  });

  it('stores an idempotency key with quotes, backslashes and other scripts as given, and refuses a NUL in it by name', async () => {
    const merchant = await f.merchants.create(shop.tenantId, { name: 'Quoting Till' }, 'admin');
    const coupon = await issue();
    const key = `o'rder\\ $1 "7" ; DROP TABLE coupons; -- 注文 🧾`;
    expect(await f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId: merchant.id, idempotencyKey: key, ip: '::ffff:10.0.0.1' }))
      .toMatchObject({ outcome: 'redeemed', replayed: false });
    expect(await f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId: merchant.id, idempotencyKey: key })).toMatchObject({ outcome: 'redeemed', replayed: true });
    expect(await attempts(merchant.id)).toEqual([{ serial_given: coupon.serial, outcome: 'redeemed', coupon_id: coupon.id, idempotency_key: key, ip: '::ffff:10.0.0.1' }]);
    await expect(f.redeemer.redeem(shop.tenantId, { serial: (await issue()).serial, merchantId: merchant.id, idempotencyKey: 'order\u00007' }))
      .rejects.toMatchObject({ code: 'invalid-input', field: 'idempotencyKey' });
    expect(await attempts(merchant.id)).toHaveLength(1);
  });

  it('gives concurrent retries with one idempotency key one redemption and the same answer', async () => {
    const coupon = await issue();
    const command = { serial: coupon.serial, merchantId: shop.merchant.id, idempotencyKey: 'order-race' };
    const results = await Promise.all(Array.from({ length: 6 }, () => f.redeemer.redeem(shop.tenantId, command)));
    expect(new Set(results.map((r) => r.outcome))).toEqual(new Set(['redeemed']));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });

  it('refuses a merchant that does not exist in the tenant, and redeems nothing', async () => {
    const coupon = await issue();
    const other = await f.tenantWithPromotion('Rival');
    for (const merchantId of [randomUUID(), other.merchant.id]) {
      await expect(f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId })).rejects.toMatchObject({ code: 'merchant-not-found' });
    }
    expect(await f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId: shop.merchant.id })).toMatchObject({ outcome: 'redeemed' });
  });

  it('refuses an order amount that is not money', async () => {
    const coupon = await issue();
    await expect(f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId: shop.merchant.id, orderAmount: '-3' }))
      .rejects.toMatchObject({ code: 'invalid-input', field: 'orderAmount' });
    await expect(f.redeemer.redeem(shop.tenantId, { serial: coupon.serial, merchantId: shop.merchant.id, orderAmount: '1.234' }))
      .rejects.toMatchObject({ code: 'invalid-input', field: 'orderAmount' });
  });
});
