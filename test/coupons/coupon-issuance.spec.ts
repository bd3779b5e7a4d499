import { randomUUID } from 'node:crypto';
import { CouponException, formatSerial, generateSerial, parseSerial, renderCouponSms } from '@ringflow/campaign';
import { couponFixture, type CouponFixture } from './coupon-fixture';

const DAY = 24 * 60 * 60 * 1000;
const forcedSerials: string[] = [];
const serialSource = () => forcedSerials.shift() ?? generateSerial();

describe('issuing coupons', () => {
  let f: CouponFixture;
  let shop: Awaited<ReturnType<CouponFixture['tenantWithPromotion']>>;

  beforeAll(async () => {
    f = await couponFixture({ serialSource });
    shop = await f.tenantWithPromotion('Shop');
  });
  afterAll(() => f.close());

  it('issues a coupon with a fresh valid serial, the phone in E.164, attribution, SMS pending, expiring with the promotion', async () => {
    const callSid = `CA${'a'.repeat(32)}`;
    const campaignId = randomUUID();
    const coupon = await f.issuer.issue(shop.tenantId, {
      promotionId: shop.promotion.id, phone: '+1 (415) 555-0101', issueKey: 'call-1', callSid, campaignId,
    });
    expect(parseSerial(coupon.serial)).toEqual({ kind: 'valid', serial: coupon.serial });
    expect(coupon).toMatchObject({
      tenantId: shop.tenantId, promotionId: shop.promotion.id, phone: '+14155550101', issueKey: 'call-1',
      callSid, campaignId, contactId: null, redeemedAt: null, smsStatus: 'pending',
    });
    expect(coupon.expiresAt).toEqual(shop.promotion.validUntil);
  });

  it('gives the same coupon for the same issue key, sequentially and concurrently, and creates nothing more', async () => {
    const command = { promotionId: shop.promotion.id, phone: '+14155550102', issueKey: 'call-2' };
    const first = await f.issuer.issue(shop.tenantId, command);
    const again = await Promise.all(Array.from({ length: 8 }, () => f.issuer.issue(shop.tenantId, command)));
    for (const coupon of again) expect(coupon).toEqual(first);
    const { rows } = await f.owner.query(`SELECT count(*)::int AS n FROM coupons WHERE issue_key = 'call-2'`);
    expect(rows).toEqual([{ n: 1 }]);

    const racing = { ...command, issueKey: 'call-3' };
    const raced = await Promise.all(Array.from({ length: 8 }, () => f.issuer.issue(shop.tenantId, racing)));
    expect(new Set(raced.map((c) => c.id)).size).toBe(1);
  });

  it('refuses an issue key reused for another phone', async () => {
    await f.issuer.issue(shop.tenantId, { promotionId: shop.promotion.id, phone: '+14155550103', issueKey: 'call-4' });
    await expect(f.issuer.issue(shop.tenantId, { promotionId: shop.promotion.id, phone: '+14155550104', issueKey: 'call-4' }))
      .rejects.toMatchObject({ code: 'idempotency-conflict', field: 'issueKey' });
  });

  it('draws a new serial when the first one is taken, without the caller noticing', async () => {
    const taken = (await f.issuer.issue(shop.tenantId, { promotionId: shop.promotion.id, phone: '+14155550105', issueKey: 'call-5' })).serial;
    forcedSerials.push(taken, taken);
    const coupon = await f.issuer.issue(shop.tenantId, { promotionId: shop.promotion.id, phone: '+14155550106', issueKey: 'call-6' });
    expect(forcedSerials).toEqual([]);
    expect(coupon.serial).not.toBe(taken);
    expect(parseSerial(coupon.serial).kind).toBe('valid');
  });

  it('refuses an unknown promotion, one not started and one that has ended', async () => {
    const issue = (promotionId: string) => f.issuer.issue(shop.tenantId, { promotionId, phone: '+14155550107', issueKey: randomUUID() });
    await expect(issue(randomUUID())).rejects.toMatchObject({ code: 'promotion-not-found' });
    const later = await f.promotions.create(shop.tenantId, {
      name: 'Later', offer: 'x', discount: '5%', validFrom: new Date(Date.now() + DAY), validUntil: new Date(Date.now() + 2 * DAY),
    }, 'marketer');
    await expect(issue(later.id)).rejects.toMatchObject({ code: 'promotion-not-active', message: expect.stringContaining('not started') });
    const over = await f.promotions.create(shop.tenantId, {
      name: 'Over', offer: 'x', discount: '5%', validFrom: new Date(Date.now() - 2 * DAY), validUntil: new Date(Date.now() - DAY),
    }, 'marketer');
    await expect(issue(over.id)).rejects.toMatchObject({ code: 'promotion-not-active', message: expect.stringContaining('ended') });
  });

  it("does not issue on another tenant's promotion", async () => {
    const other = await f.tenantWithPromotion('Other');
    await expect(f.issuer.issue(shop.tenantId, { promotionId: other.promotion.id, phone: '+14155550108', issueKey: 'call-8' }))
      .rejects.toMatchObject({ code: 'promotion-not-found' });
  });

  it('refuses a bad phone number without repeating it in the error', async () => {
    const error = await f.issuer.issue(shop.tenantId, { promotionId: shop.promotion.id, phone: '+1 555 12', issueKey: 'call-9' }).catch((e) => e);
    expect(error).toBeInstanceOf(CouponException);
    expect(error).toMatchObject({ code: 'invalid-input', field: 'phone' });
    expect(error.message).not.toContain('555');
  });

  it('expires a coupon after the promotion lifetime when that comes before the promotion ends', async () => {
    const short = await f.promotions.create(shop.tenantId, {
      name: 'Week', offer: 'x', discount: '5%', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + 30 * DAY), couponLifetimeDays: 7,
    }, 'marketer');
    const coupon = await f.issuer.issue(shop.tenantId, { promotionId: short.id, phone: '+14155550110', issueKey: 'call-10' });
    expect(coupon.expiresAt.getTime() - coupon.issuedAt.getTime()).toBe(7 * DAY);
  });

  it('renders the SMS text from the promotion template with the grouped serial', async () => {
    const promotion = await f.promotions.create(shop.tenantId, {
      name: 'Soup', offer: 'Soup of the day', discount: '2 EUR off', validFrom: new Date(Date.now() - DAY),
      validUntil: new Date('2027-03-31T22:30:00Z'), smsTemplate: '{{ promotion }}: {{ offer }}, {{ discount }}. Code {{ serial }} until {{ expires_on }}',
    }, 'marketer');
    const coupon = await f.issuer.issue(shop.tenantId, { promotionId: promotion.id, phone: '+14155550111', issueKey: 'call-11' });
    expect(renderCouponSms(promotion, coupon, 'Europe/Paris'))
      .toBe(`Soup: Soup of the day, 2 EUR off. Code ${formatSerial(coupon.serial)} until 2027-04-01`);
  });
});
