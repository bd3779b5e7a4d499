import { type MerchantGateway, type Shop, startMerchantGateway } from './support/merchant-harness';

describe('merchant key bindings and merchant users', () => {
  let g: MerchantGateway;
  let shop: Shop;

  beforeAll(async () => {
    g = await startMerchantGateway();
    shop = await g.shop('Accounts');
  });
  afterAll(() => g?.close());

  it('binds only merchant keys, once, to a merchant of the same tenant', async () => {
    const other = await g.shop('Other');
    const key = await g.apiKeys.create(shop.tenantId, { name: 'till 9', role: 'merchant' }, 'admin');
    const bind = (merchantId: string, apiKeyId = key.apiKey.id, tenantId = shop.tenantId) => g.merchantKeys.bind(tenantId, { apiKeyId, merchantId }, 'admin');

    await expect(bind(other.merchantId)).rejects.toMatchObject({ code: 'merchant-not-found', field: 'merchantId' });
    await expect(bind(shop.merchantId, key.apiKey.id, other.tenantId)).rejects.toMatchObject({ code: 'not-found', field: 'apiKeyId' });
    const admin = await g.apiKeys.create(shop.tenantId, { name: 'ops', role: 'admin' }, 'operator');
    await expect(bind(shop.merchantId, admin.apiKey.id)).rejects.toMatchObject({ code: 'invalid-input', field: 'apiKeyId' });

    expect(await bind(shop.merchantId)).toEqual({ apiKeyId: key.apiKey.id, merchantId: shop.merchantId });
    expect(await bind(shop.merchantId)).toEqual({ apiKeyId: key.apiKey.id, merchantId: shop.merchantId });
    const second = await g.merchantOf(shop, 'Second Till');
    await expect(bind(second.merchantId)).rejects.toMatchObject({ code: 'conflict', field: 'apiKeyId' });
    expect(await g.merchantKeys.merchantOfKey(shop.tenantId, key.apiKey.id)).toEqual({ id: shop.merchantId, name: 'Accounts Cafe' });
    const { rows } = await g.owner.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'merchant-api-key.bind' AND target_id = $2`, [shop.tenantId, key.apiKey.id]);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('stores a scrypt hash, never the password, and signs in by email whatever its case', async () => {
    const email = `Anna-${shop.tenantId}@Accounts.example`;
    const user = await g.users.create(shop.tenantId, { merchantId: shop.merchantId, email, password: 'a long enough secret' }, 'admin');
    expect(user).toMatchObject({ tenantId: shop.tenantId, merchantId: shop.merchantId, email: email.toLowerCase() });
    const { rows } = await g.owner.query(`SELECT password_hash FROM merchant_users WHERE id = $1`, [user.id]);
    expect(rows[0].password_hash).toMatch(/^scrypt\$/);
    expect(rows[0].password_hash).not.toContain('a long enough secret');

    expect(await g.users.verify(` ${email.toUpperCase()} `, 'a long enough secret')).toEqual({
      tenantId: shop.tenantId, userId: user.id, merchantId: shop.merchantId, merchantName: 'Accounts Cafe',
    });
    expect(await g.users.verify(email, 'a long enough secreT')).toBeUndefined();
    expect(await g.users.verify(`nobody-${shop.tenantId}@accounts.example`, 'a long enough secret')).toBeUndefined();
  });

  it('refuses a short password, a bad email, an email already in use and a merchant of another tenant', async () => {
    const create = (command: { merchantId?: string; email?: string; password?: string }) =>
      g.users.create(shop.tenantId, { merchantId: shop.merchantId, email: `b-${shop.tenantId}@accounts.example`, password: 'twelve chars!', ...command }, 'admin');
    await expect(create({ password: 'short' })).rejects.toMatchObject({ code: 'invalid-input', field: 'password' });
    await expect(create({ email: 'not-an-email' })).rejects.toMatchObject({ code: 'invalid-input', field: 'email' });
    const other = await g.shop('Else');
    await expect(create({ merchantId: other.merchantId })).rejects.toMatchObject({ code: 'merchant-not-found', field: 'merchantId' });
    await create({});
    await expect(g.users.create(other.tenantId, { merchantId: other.merchantId, email: `B-${shop.tenantId}@accounts.example`, password: 'twelve chars!' }, 'admin'))
      .rejects.toMatchObject({ code: 'conflict', field: 'email' });
    expect((await g.users.list(shop.tenantId, shop.merchantId)).map((u) => u.email)).toContain(`b-${shop.tenantId}@accounts.example`);
  });
});
