import { Client } from 'pg';
import { codeOf, startAdminApi } from '../support/admin-api-harness';

describe('merchants and webhooks over GraphQL', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let admin: string;
  let tenantId: string;
  beforeAll(async () => {
    api = await startAdminApi();
    ({ adminKey: admin, tenantId } = await api.tenantWithAdmin('Till Town'));
  });
  afterAll(() => api.close());

  it('a merchant, its user (password write-only, stored hashed) and its key binding', async () => {
    const merchantId = (await api.gql(admin, 'mutation { createMerchant(input: { name: "  Main Street  " }) { id name } }')).data!.createMerchant.id;
    const password = 'correct horse battery staple';
    const user = await api.gql(admin, 'mutation($i: CreateMerchantUserInput!) { createMerchantUser(input: $i) { merchantId email } }', {
      i: { merchantId, email: 'Till@Main.Example', password },
    });
    expect(user.data!.createMerchantUser).toEqual({ merchantId, email: 'till@main.example' });
    const short = await api.gql(admin, 'mutation($i: CreateMerchantUserInput!) { createMerchantUser(input: $i) { id } }', { i: { merchantId, email: 'b@main.example', password: 'short' } });
    expect(short.errors![0]).toMatchObject({ message: 'password must be 12 to 200 characters', extensions: { code: 'BAD_USER_INPUT', field: 'password' } });
    const readBack = await api.gql(admin, 'query($m: ID!) { merchantUsers(merchantId: $m) { email password } }', { m: merchantId });
    expect(codeOf(readBack)).toBe('GRAPHQL_VALIDATION_FAILED');
    const owner = new Client({ connectionString: api.database.adminUrl });
    await owner.connect();
    const { rows } = await owner.query('SELECT password_hash FROM merchant_users WHERE tenant_id = $1', [tenantId]);
    await owner.end();
    expect(rows[0].password_hash).not.toContain(password);

    const key = await api.keyFor(admin, 'MERCHANT');
    const bind = 'mutation($i: BindMerchantKeyInput!) { bindMerchantKey(input: $i) { apiKeyId merchantId } }';
    expect((await api.gql(admin, bind, { i: { apiKeyId: key.id, merchantId } })).data!.bindMerchantKey).toEqual({ apiKeyId: key.id, merchantId });
    const analystKey = await api.keyFor(admin, 'ANALYST');
    const wrongRole = await api.gql(admin, bind, { i: { apiKeyId: analystKey.id, merchantId } });
    expect(wrongRole.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'apiKeyId' } });
    expect(wrongRole.errors![0].message).toMatch(/only a merchant key can be bound/);
    expect((await api.gql(admin, '{ merchants { edges { node { name } } } }')).data!.merchants.edges).toEqual([{ node: { name: 'Main Street' } }]);
  });

  it('a webhook endpoint shows its secret once; it can be disabled and removed; a dead delivery is replayed', async () => {
    const created = await api.gql(admin, 'mutation { createWebhookEndpoint(input: { url: "https://crm.example/hooks", events: ["coupon.redeemed"] }) { secret endpoint { id url events enabled } } }');
    const { secret, endpoint } = created.data!.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ url: 'https://crm.example/hooks', events: ['coupon.redeemed'], enabled: true });
    const listed = await api.gql(admin, '{ webhookEndpoints { edges { node { id enabled } } } }');
    expect(JSON.stringify(listed)).not.toContain(secret);
    const badEvent = await api.gql(admin, 'mutation { createWebhookEndpoint(input: { url: "https://crm.example/h", events: ["coupon.eaten"] }) { secret } }');
    expect(badEvent.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'events' } });

    const disabled = await api.gql(admin, 'mutation($id: ID!) { setWebhookEndpointEnabled(id: $id, enabled: false) { enabled } }', { id: endpoint.id });
    expect(disabled.data!.setWebhookEndpointEnabled).toEqual({ enabled: false });

    const owner = new Client({ connectionString: api.database.adminUrl });
    await owner.connect();
    const { rows } = await owner.query(
      `INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_type, event_key, payload, status, attempts, last_status, last_error)
       VALUES ($1, $2, 'coupon.redeemed', 'coupon.redeemed-1', '{}', 'dead', 8, 500, 'receiver answered 500') RETURNING id`,
      [tenantId, endpoint.id],
    );
    await owner.end();
    const dead = await api.gql(admin, '{ webhookDeliveries(status: DEAD) { edges { node { id status attempts lastStatus lastError } } } }');
    expect(dead.data!.webhookDeliveries.edges).toEqual([{ node: { id: rows[0].id, status: 'DEAD', attempts: 8, lastStatus: 500, lastError: 'receiver answered 500' } }]);
    const replayed = await api.gql(admin, 'mutation($id: ID!) { replayWebhookDelivery(id: $id) { status attempts replays } }', { id: rows[0].id });
    expect(replayed.data!.replayWebhookDelivery).toEqual({ status: 'PENDING', attempts: 0, replays: 1 });
    const twice = await api.gql(admin, 'mutation($id: ID!) { replayWebhookDelivery(id: $id) { status } }', { id: rows[0].id });
    expect([codeOf(twice), twice.errors![0].message]).toEqual(['CONFLICT', `webhook delivery ${rows[0].id} is pending; only a dead one can be replayed`]);

    expect((await api.gql(admin, 'mutation($id: ID!) { removeWebhookEndpoint(id: $id) }', { id: endpoint.id })).data).toEqual({ removeWebhookEndpoint: true });
    expect((await api.gql(admin, '{ webhookEndpoints { edges { cursor } } webhookDeliveries { edges { cursor } } }')).data).toEqual({
      webhookEndpoints: { edges: [] }, webhookDeliveries: { edges: [] },
    });
  });
});
