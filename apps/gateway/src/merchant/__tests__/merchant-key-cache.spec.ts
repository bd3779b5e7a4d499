import type { TenantId } from '@ringflow/tenancy';
import { startMerchantGateway, type MerchantGateway } from '../../../../../test/merchant/support/merchant-harness';
import { MerchantKeyCache } from '../api/merchant-key-cache';

const tenant = '6f1c1d3e-8a1b-4c55-9d1e-0b5c2f4a7e10' as TenantId;

describe('MerchantKeyCache', () => {
  it('remembers a binding until its time is up, per tenant and key, and forgets on request', () => {
    const cache = new MerchantKeyCache(1_000, 10);
    cache.set(tenant, 'key-1', 'merchant-1', 0);
    expect(cache.get(tenant, 'key-1', 999)).toBe('merchant-1');
    expect(cache.get(tenant, 'key-2', 999)).toBeUndefined();
    expect(cache.get('7f1c1d3e-8a1b-4c55-9d1e-0b5c2f4a7e10' as TenantId, 'key-1', 999)).toBeUndefined();
    expect(cache.get(tenant, 'key-1', 1_000)).toBeUndefined();
    cache.set(tenant, 'key-1', 'merchant-1', 0);
    cache.forget(tenant, 'key-1');
    expect(cache.get(tenant, 'key-1', 1)).toBeUndefined();
  });

  it('stays bounded', () => {
    const cache = new MerchantKeyCache(1_000, 2);
    for (const key of ['a', 'b', 'c']) cache.set(tenant, key, `m-${key}`, 0);
    expect(cache.get(tenant, 'c', 1)).toBe('m-c');
    expect(cache.get(tenant, 'a', 1)).toBeUndefined();
  });
});

describe('a remembered binding whose merchant is deleted', () => {
  let g: MerchantGateway;

  beforeAll(async () => {
    g = await startMerchantGateway();
  });
  afterAll(() => g.close());

  it('answers 403 not bound, as an uncached lookup would', async () => {
    const shop = await g.shop('Gone');
    const coupon = await g.issue(shop);
    expect(await g.redeem(shop.merchantKey, { serial: coupon.serial })).toMatchObject({ status: 200 });
    // Deleted as the owner would (the admin API cannot delete merchants yet): its attempts and binding go first.
    await g.owner.query(`DELETE FROM redemption_attempts WHERE merchant_id = $1`, [shop.merchantId]);
    await g.owner.query(`UPDATE coupons SET redeemed_at = NULL, redeemed_by_merchant_id = NULL, order_amount = NULL WHERE redeemed_by_merchant_id = $1`, [shop.merchantId]);
    await g.owner.query(`DELETE FROM merchant_api_keys WHERE merchant_id = $1`, [shop.merchantId]);
    await g.owner.query(`DELETE FROM merchants WHERE id = $1`, [shop.merchantId]);
    const next = await g.issue(shop);
    expect(await g.redeem(shop.merchantKey, { serial: next.serial })).toMatchObject({
      status: 403, body: { error: { code: 'forbidden', message: expect.stringContaining('not bound to a merchant') } },
    });
  });
});
