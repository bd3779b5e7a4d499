import { formatSerial, SERIAL_ALPHABET } from '@ringflow/campaign';
import { type MerchantGateway, type Shop, startMerchantGateway } from './support/merchant-harness';
import { MerchantWebClient } from './support/merchant-web-client';

function typo(serial: string): string {
  return serial.slice(0, 4) + SERIAL_ALPHABET[(SERIAL_ALPHABET.indexOf(serial[4]) + 5) % 32] + serial.slice(5);
}

describe('POST /api/v1/redemptions', () => {
  let g: MerchantGateway;
  let shop: Shop;
  let other: Shop;

  beforeAll(async () => {
    g = await startMerchantGateway();
    shop = await g.shop('Harbour');
    other = await g.shop('Elsewhere');
  });
  afterAll(() => g?.close());

  it('redeems a serial once with the offer and discount, then answers 409 with when and which merchant', async () => {
    const coupon = await g.issue(shop);
    const first = await g.redeem(shop.merchantKey, { serial: formatSerial(coupon.serial).toLowerCase(), orderAmount: '12.5' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      outcome: 'redeemed', replayed: false, serial: formatSerial(coupon.serial), redeemedAt: expect.any(String), orderAmount: '12.50',
      offer: 'A free coffee', discount: '100%', promotion: { id: shop.promotionId, name: 'Spring' },
    });
    expect(first.text).not.toContain('+1415');

    const second = await g.redeem(shop.merchantKey, { serial: coupon.serial });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      outcome: 'already-redeemed', redeemedAt: first.body.redeemedAt, merchant: { id: shop.merchantId, name: 'Harbour Cafe' },
      error: { code: 'already-redeemed' },
    });
    expect(second.text).not.toContain('+1415');
  });

  it('answers 404 for an unknown serial, 410 for an expired one, 422 for malformed and mistyped ones', async () => {
    const unknownSerial = await g.issue(other);
    expect(await g.redeem(shop.merchantKey, { serial: unknownSerial.serial })).toMatchObject({
      status: 404, body: { outcome: 'unknown', error: { code: 'unknown', field: 'serial' } },
    });

    const expired = await g.issue(shop);
    await g.owner.query(`UPDATE coupons SET expires_at = now() - interval '1 hour' WHERE id = $1`, [expired.id]);
    const gone = await g.redeem(shop.merchantKey, { serial: expired.serial });
    expect(gone).toMatchObject({ status: 410, body: { outcome: 'expired', expiredAt: expect.any(String), error: { code: 'expired' } } });

    expect(await g.redeem(shop.merchantKey, { serial: 'ABC' })).toMatchObject({
      status: 422, body: { outcome: 'malformed', error: { code: 'malformed', field: 'serial', message: 'serial is malformed: a serial has 15 characters, this has 3' } },
    });
    const live = await g.issue(shop);
    expect(await g.redeem(shop.merchantKey, { serial: typo(live.serial) })).toMatchObject({
      status: 422, body: { outcome: 'check-failed', error: { code: 'check-failed', field: 'serial' } },
    });
    const { rows } = await g.owner.query(`SELECT redeemed_at FROM coupons WHERE id = ANY($1)`, [[unknownSerial.id, expired.id, live.id]]);
    expect(rows.every((row: { redeemed_at: Date | null }) => row.redeemed_at === null)).toBe(true);
  });

  it('validates the body strictly and names the field at fault', async () => {
    const cases: [unknown, string][] = [
      [{}, 'serial'],
      [{ serial: 42 }, 'serial'],
      [{ serial: 'ABCDE', phone: '+14155550123' }, 'phone'],
      [{ serial: 'ABCDE', orderAmount: true }, 'orderAmount'],
      [{ serial: 'ABCDE', orderAmount: '12.345' }, 'orderAmount'],
      [{ serial: 'ABCDE', idempotencyKey: '' }, 'idempotencyKey'],
      [['ABCDE'], 'body'],
    ];
    for (const [body, field] of cases) {
      const answer = await g.redeem(shop.merchantKey, body);
      expect({ field, status: answer.status, answer: answer.body.error.field }).toEqual({ field, status: 422, answer: field });
    }
    const differing = await g.redeem(shop.merchantKey, { serial: 'ABCDE', idempotencyKey: 'a' }, { 'idempotency-key': 'b' });
    expect(differing).toMatchObject({ status: 422, body: { error: { field: 'Idempotency-Key' } } });
  });

  it('refuses a body over 4 KB with 413, on the API and on the web forms', async () => {
    const answer = await g.redeem(shop.merchantKey, { serial: 'A'.repeat(5000) });
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'too-large' } } });
    const form = await new MerchantWebClient(g.url).post('/merchant/sign-in', { email: 'a'.repeat(5000), password: 'x' });
    expect(form.status).toBe(413);
  });

  it('gives a POS retry with the same idempotency key (body or header) the first answer', async () => {
    const coupon = await g.issue(shop);
    const first = await g.redeem(shop.merchantKey, { serial: coupon.serial }, { 'idempotency-key': 'order-7781' });
    const retried = await g.redeem(shop.merchantKey, { serial: coupon.serial, idempotencyKey: 'order-7781' });
    expect(first).toMatchObject({ status: 200, body: { outcome: 'redeemed', replayed: false } });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ ...first.body, replayed: true });
    const fresh = await g.redeem(shop.merchantKey, { serial: coupon.serial, idempotencyKey: 'order-7782' });
    expect(fresh).toMatchObject({ status: 409, body: { outcome: 'already-redeemed' } });
  });

  it("keeps tenants apart: another tenant's serial is unknown to this merchant and stays unredeemed", async () => {
    const foreign = await g.issue(shop);
    const answer = await g.redeem(other.merchantKey, { serial: foreign.serial });
    expect(answer).toMatchObject({ status: 404, body: { outcome: 'unknown' } });
    const { rows } = await g.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [foreign.id]);
    expect(rows).toEqual([{ redeemed_at: null }]);
    expect(await g.redeem(shop.merchantKey, { serial: foreign.serial })).toMatchObject({ status: 200 });
  });

  it('takes only a merchant key bound to a merchant', async () => {
    const coupon = await g.issue(shop);
    expect(await g.redeem(shop.adminKey, { serial: coupon.serial })).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const unbound = await g.apiKeys.create(shop.tenantId, { name: 'loose till', role: 'merchant' }, 'admin');
    expect(await g.redeem(unbound.secret, { serial: coupon.serial })).toMatchObject({
      status: 403, body: { error: { code: 'forbidden', message: expect.stringContaining('not bound to a merchant') } },
    });
    expect(await g.redeem('rk_not_a_key', { serial: coupon.serial })).toMatchObject({ status: 401 });
    const { rows } = await g.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [coupon.id]);
    expect(rows).toEqual([{ redeemed_at: null }]);
  });

  it('records every attempt with the merchant and address (a forged non-address falls back to the peer), and keeps serials out of the logs', async () => {
    const merchant = await g.merchantOf(shop, 'Audit Till');
    const coupon = await g.issue(shop);
    await g.redeem(merchant.merchantKey, { serial: coupon.serial }, { 'x-forwarded-for': 'not-an-address' });
    await g.redeem(merchant.merchantKey, { serial: coupon.serial }, { 'x-forwarded-for': '203.0.113.77' });
    const { rows } = await g.owner.query(
      `SELECT outcome, host(ip) AS ip FROM redemption_attempts WHERE merchant_id = $1 ORDER BY id`, [merchant.merchantId],
    );
    expect(rows.map((row: { outcome: string }) => row.outcome)).toEqual(['redeemed', 'already-redeemed']);
    expect(rows[0].ip).toMatch(/127\.0\.0\.1/);
    expect(rows[1].ip).toBe('203.0.113.77');
    expect(g.logs.join('\n')).not.toContain(coupon.serial);
  });
});
