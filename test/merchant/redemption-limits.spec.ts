import { type MerchantGateway, type Shop, startMerchantGateway } from './support/merchant-harness';
import { MerchantWebClient } from './support/merchant-web-client';

const LOCKOUT_SECONDS = 600;

describe('redemption rate limits and lockout', () => {
  let g: MerchantGateway;

  beforeAll(async () => {
    g = await startMerchantGateway({
      MERCHANT_REDEMPTIONS_PER_MINUTE: '5', MERCHANT_LOCKOUT_FAILURES: '3', MERCHANT_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS), MERCHANT_SIGN_IN_FAILURES: '3',
    });
  });
  afterAll(() => g?.close());

  const unknownSerials = ['0000000000000Q0', '1111111111111Z1', '2222222222222D2', '3333333333333Q3'];

  it('answers 429 with Retry-After past the per-minute limit, and leaves the coupon unredeemed; other tenants go on', async () => {
    const busy = await g.shop('Busy');
    for (let i = 0; i < 5; i++) expect((await g.redeem(busy.merchantKey, { serial: (await g.issue(busy)).serial })).status).toBe(200);
    const sixth = await g.issue(busy);
    const slowed = await g.redeem(busy.merchantKey, { serial: sixth.serial });
    expect(slowed).toMatchObject({ status: 429, body: { outcome: 'slowed', error: { code: 'too-many-attempts' } } });
    const retryAfter = Number(slowed.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const { rows } = await g.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [sixth.id]);
    expect(rows).toEqual([{ redeemed_at: null }]);

    const calm = await g.shop('Calm');
    expect((await g.redeem(calm.merchantKey, { serial: (await g.issue(calm)).serial })).status).toBe(200);
  });

  it('locks a merchant out after repeated unknown serials, audits it for the tenant and logs it without the serials', async () => {
    const guesser: Shop = await g.shop('Guesser');
    const statuses: number[] = [];
    for (const serial of unknownSerials) statuses.push((await g.redeem(guesser.merchantKey, { serial })).status);
    expect(statuses.every((status) => status === 404 || status === 422)).toBe(true);

    const real = await g.issue(guesser);
    const locked = await g.redeem(guesser.merchantKey, { serial: real.serial });
    expect(locked).toMatchObject({ status: 429, body: { outcome: 'slowed' } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(LOCKOUT_SECONDS - 30);
    const { rows } = await g.owner.query(`SELECT redeemed_at FROM coupons WHERE id = $1`, [real.id]);
    expect(rows).toEqual([{ redeemed_at: null }]);

    const audit = await g.owner.query(`SELECT action, target_type, target_id, details FROM audit_log WHERE tenant_id = $1 AND action = 'redemption.lockout'`, [guesser.tenantId]);
    expect(audit.rows).toEqual([{ action: 'redemption.lockout', target_type: 'merchant', target_id: guesser.merchantId, details: { lockedForSeconds: expect.any(Number) } }]);
    const logs = g.logs.join('\n');
    expect(logs).toContain(`merchant ${guesser.merchantId} locked out of redemptions`);
    for (const serial of [...unknownSerials, real.serial]) expect(logs).not.toContain(serial);

    await g.users.create(guesser.tenantId, { merchantId: guesser.merchantId, email: `till-${guesser.tenantId}@guesser.example`, password: 'guesser password 1' }, 'admin');
    const cashier = new MerchantWebClient(g.url);
    expect((await cashier.signIn(`till-${guesser.tenantId}@guesser.example`, 'guesser password 1')).status).toBe(200);
    const onPage = await cashier.post('/merchant/redeem', { serial: real.serial });
    expect(onPage.status).toBe(429);
    expect(onPage.html).toMatch(/data-outcome="slowed"[\s\S]*Too many attempts/);

    const neighbour = await g.merchantOf(guesser, 'Neighbour');
    expect((await g.redeem(neighbour.merchantKey, { serial: real.serial })).status).toBe(200);
  });

  it('refuses sign-ins after repeated wrong passwords, even the right one', async () => {
    const shop = await g.shop('Signin');
    const email = `till-${shop.tenantId}@signin.example`;
    await g.users.create(shop.tenantId, { merchantId: shop.merchantId, email, password: 'right password 123' }, 'admin');
    const browser = new MerchantWebClient(g.url);
    for (let i = 0; i < 3; i++) expect((await browser.signIn(email, `wrong password ${i}`)).status).toBe(401);
    const refused = await browser.signIn(email, 'right password 123');
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many failed sign-ins');
    expect(g.logs.join('\n')).not.toContain('right password 123');
  });
});

describe('the per-tenant redemption limit', () => {
  let g: MerchantGateway;

  beforeAll(async () => {
    g = await startMerchantGateway({ MERCHANT_REDEMPTIONS_PER_MINUTE: '100', MERCHANT_TENANT_REDEMPTIONS_PER_MINUTE: '3' });
  });
  afterAll(() => g?.close());

  it('slows every merchant of a tenant once the tenant has spent its minute, and no other tenant', async () => {
    const chain = await g.shop('Chain');
    const second = await g.merchantOf(chain, 'Chain Two');
    const statuses = [];
    for (const key of [chain.merchantKey, second.merchantKey, chain.merchantKey, second.merchantKey]) {
      statuses.push((await g.redeem(key, { serial: (await g.issue(chain)).serial })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const independent = await g.shop('Independent');
    expect((await g.redeem(independent.merchantKey, { serial: (await g.issue(independent)).serial })).status).toBe(200);
  });
});
