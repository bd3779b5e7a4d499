import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CAMPAIGN_ENTITIES, CouponIssuerService, MerchantKeysService, MerchantsService, PromotionsService } from '@ringflow/campaign';
import { createHttpApp, createLogger } from '@ringflow/observability';
import {
  ApiKeyEntity, ApiKeyRevocations, ApiKeysService, AuditEntryEntity, TenantDatabase, TenantEntity, TenantsService, VERIFIED_KEY_TTL_MS,
  type TenantId,
} from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { adminApiConfigSchema } from '../../apps/admin-api/src/admin-api.config';
import { AdminApiModule } from '../../apps/admin-api/src/admin-api.module';
import { gatewayBodyLimit, gatewayConfigSchema } from '../../apps/gateway/src/gateway.config';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The gateway remembers a verified API key for a few seconds; a revocation made through the admin API (another app,
 * its own Redis connections) and a key's expiry must still count at once. Both apps run on one database.
 */
describe('merchant keys remembered by the gateway: revocation and expiry still count at once', () => {
  let database: TestDatabase;
  let gateway: NestFastifyApplication;
  let adminApi: NestFastifyApplication;
  let gatewayUrl: string;
  let adminUrl: string;
  let dataSource: DataSource;
  let owner: Client;
  let tenantId: TenantId;
  let merchantId: string;
  let promotionId: string;
  let adminKey: string;
  let issued = 0;

  beforeAll(async () => {
    database = await createTestDatabase();
    const common = {
      DATABASE_URL: database.appUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      PORT: '0',
      OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`,
      SECRETS_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    };
    gateway = await createHttpApp(
      GatewayModule.forRoot(gatewayConfigSchema.parse({ ...common, PUBLIC_BASE_URL: 'https://ivr.ringflow.test' })), createLogger('gateway', 'silent'),
      { bodyLimit: gatewayBodyLimit },
    );
    await gateway.listen(0, '127.0.0.1');
    gatewayUrl = (await gateway.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
    adminApi = await createHttpApp(AdminApiModule.forRoot(adminApiConfigSchema.parse(common)), createLogger('admin-api', 'silent'));
    await adminApi.listen(0, '127.0.0.1');
    adminUrl = await adminApi.getUrl();

    dataSource = await new DataSource({
      type: 'postgres', url: database.appUrl, poolSize: 3, entities: [TenantEntity, ApiKeyEntity, AuditEntryEntity, ...CAMPAIGN_ENTITIES],
    }).initialize();
    owner = new Client({ connectionString: database.adminUrl });
    await owner.connect();
    const db = new TenantDatabase(dataSource);
    tenantId = (await new TenantsService(db).create({ name: 'Quay' }, 'operator')).id as TenantId;
    promotionId = (await new PromotionsService(db).create(
      tenantId, { name: 'Spring', offer: 'A free coffee', discount: '100%', validFrom: new Date(Date.now() - DAY), validUntil: new Date(Date.now() + DAY) }, 'marketer',
    )).id;
    merchantId = (await new MerchantsService(db).create(tenantId, { name: 'Quay Cafe' }, 'admin')).id;
    adminKey = (await new ApiKeysService(db).create(tenantId, { name: 'admin', role: 'admin' }, 'operator')).secret;
  });

  afterAll(async () => {
    await gateway?.close();
    await adminApi?.close();
    await owner?.end();
    await dataSource?.destroy();
    await database?.drop();
  });

  async function gql(query: string, variables: Record<string, unknown>) {
    const response = await fetch(`${adminUrl}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` }, body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
  }

  /** A merchant key made over the admin API, bound to the merchant. */
  async function merchantKey(name: string, expiresAt?: Date): Promise<{ id: string; secret: string }> {
    const created = await gql('mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }', {
      i: { name, role: 'MERCHANT', ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
    });
    const key = { id: created.data!.createApiKey.apiKey.id as string, secret: created.data!.createApiKey.secret as string };
    await new MerchantKeysService(new TenantDatabase(dataSource)).bind(tenantId, { apiKeyId: key.id, merchantId }, 'admin');
    return key;
  }

  async function redeem(secret: string): Promise<{ status: number; text: string }> {
    const coupon = await new CouponIssuerService(new TenantDatabase(dataSource)).issue(tenantId, { promotionId, phone: '+14155550123', issueKey: `c-${++issued}` });
    const response = await fetch(`${gatewayUrl}/api/v1/redemptions`, {
      method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ serial: coupon.serial }),
    });
    return { status: response.status, text: await response.text() };
  }

  /** The gateway remembers keys only once its subscription to revocations is confirmed; the first request opens it. */
  async function gatewayListening(): Promise<void> {
    const revocations = gateway.get(ApiKeyRevocations);
    for (let i = 0; !revocations.isLive(); i++) {
      if (i > 100) throw new Error('the gateway never subscribed to API key revocations');
      await sleep(50);
    }
  }

  it('a key revoked over the admin API is refused by the gateway on the next request, though it had remembered the key', async () => {
    const revokedOverApi = await merchantKey('till 1');
    const revokedByHand = await merchantKey('till 2');
    expect((await redeem(revokedOverApi.secret)).status).toBe(200);
    await gatewayListening();
    for (const key of [revokedOverApi, revokedByHand]) expect((await redeem(key.secret)).status).toBe(200);

    // Written straight to the database, nobody announces it: the gateway answers from memory, which shows it remembers.
    await owner.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [revokedByHand.id]);
    expect((await redeem(revokedByHand.secret)).status).toBe(200);

    const revoked = await gql('mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }', { id: revokedOverApi.id });
    expect(revoked.data?.revokeApiKey.revokedAt).toEqual(expect.any(String));
    const refused = await redeem(revokedOverApi.secret);
    expect(refused.status).toBe(401);
    expect(refused.text).toMatch(/API key was revoked at/);

    // Unannounced, the revocation still counts once the remembered entry lapses.
    await sleep(VERIFIED_KEY_TTL_MS + 100);
    const lapsed = await redeem(revokedByHand.secret);
    expect([lapsed.status, lapsed.text]).toEqual([401, expect.stringMatching(/API key was revoked at/)]);
  }, 30_000);

  it('a remembered key is refused from the moment it expires', async () => {
    const expiresAt = new Date(Date.now() + 1500);
    const shortLived = await merchantKey('till 3', expiresAt);
    await gatewayListening();
    expect((await redeem(shortLived.secret)).status).toBe(200);
    expect((await redeem(shortLived.secret)).status).toBe(200);
    await sleep(expiresAt.getTime() - Date.now() + 20);
    const refused = await redeem(shortLived.secret);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain(`API key expired at ${expiresAt.toISOString()}`);
  });

  it('the admin API, which shares the authenticator, refuses a key another instance revoked', async () => {
    const key = (await gql('mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }', { i: { name: 'analyst', role: 'ANALYST' } }))
      .data!.createApiKey;
    const me = async () => (await (await fetch(`${adminUrl}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key.secret}` }, body: JSON.stringify({ query: '{ me { role } }' }),
    })).json()) as { data?: unknown; errors?: { message: string }[] };
    expect((await me()).data).toEqual({ me: { role: 'ANALYST' } });
    const adminRevocations = adminApi.get(ApiKeyRevocations);
    for (let i = 0; !adminRevocations.isLive() && i < 100; i++) await sleep(50);
    expect((await me()).data).toEqual({ me: { role: 'ANALYST' } });

    // Revoked through the gateway app's service: the admin API hears it over Redis only.
    await gateway.get(ApiKeysService).revoke(tenantId, key.apiKey.id, 'admin');
    expect((await me()).errors?.[0].message).toMatch(/^API key was revoked at /);
  });
});
