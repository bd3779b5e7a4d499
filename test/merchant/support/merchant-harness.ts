import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  CAMPAIGN_ENTITIES, CouponIssuerService, MerchantKeysService, MerchantsService, MerchantUsersService, PromotionsService, type CouponEntity,
} from '@ringflow/campaign';
import { createHttpApp, createLogger } from '@ringflow/observability';
import { ApiKeyEntity, ApiKeysService, AuditEntryEntity, TenantDatabase, TenantEntity, TenantsService, type TenantId } from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';
import { gatewayBodyLimit, gatewayConfigSchema } from '../../../apps/gateway/src/gateway.config';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';

const DAY = 24 * 60 * 60 * 1000;

export interface Shop {
  tenantId: TenantId;
  promotionId: string;
  merchantId: string;
  /** A merchant key bound to the merchant. */
  merchantKey: string;
  adminKey: string;
}

/** The real gateway in-process over a database of the test file's own; MERCHANT_* settings come from `env`. */
export async function startMerchantGateway(env: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const config = gatewayConfigSchema.parse({
    DATABASE_URL: database.appUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PORT: '0',
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? 'https://ivr.ringflow.test',
    OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  });
  const saved = { ...process.env };
  Object.assign(process.env, env);
  /** Every line the gateway logged: tests check what never reaches a log. */
  const logs: string[] = [];
  let app: NestFastifyApplication;
  try {
    app = await createHttpApp(GatewayModule.forRoot(config), createLogger('gateway', 'debug', { write: (line: string) => void logs.push(line) }), {
      bodyLimit: gatewayBodyLimit,
    });
  } finally {
    process.env = saved;
  }
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');

  const dataSource = await new DataSource({
    type: 'postgres', url: database.appUrl, poolSize: 3, entities: [TenantEntity, ApiKeyEntity, AuditEntryEntity, ...CAMPAIGN_ENTITIES],
  }).initialize();
  const db = new TenantDatabase(dataSource);
  const owner = new Client({ connectionString: database.adminUrl });
  await owner.connect();
  const apiKeys = new ApiKeysService(db);
  const merchants = new MerchantsService(db);
  const merchantKeys = new MerchantKeysService(db);
  const users = new MerchantUsersService(db, dataSource);
  const issuer = new CouponIssuerService(db);
  let issued = 0;

  /** A tenant (in UTC unless a time zone is given) with a running promotion, a merchant, a merchant key bound to it and an admin key. */
  async function shop(name: string, options: { timeZone?: string } = {}): Promise<Shop> {
    const tenantId = (await new TenantsService(db).create({ name, ...options }, 'operator')).id as TenantId;
    const now = Date.now();
    const promotion = await new PromotionsService(db).create(
      tenantId, { name: 'Spring', offer: 'A free coffee', discount: '100%', validFrom: new Date(now - DAY), validUntil: new Date(now + 30 * DAY) }, 'marketer',
    );
    const merchant = await merchants.create(tenantId, { name: `${name} Cafe` }, 'admin');
    const merchantKey = await apiKeys.create(tenantId, { name: 'till 1', role: 'merchant' }, 'admin');
    await merchantKeys.bind(tenantId, { apiKeyId: merchantKey.apiKey.id, merchantId: merchant.id }, 'admin');
    const adminKey = (await apiKeys.create(tenantId, { name: 'admin', role: 'admin' }, 'operator')).secret;
    return { tenantId, promotionId: promotion.id, merchantId: merchant.id, merchantKey: merchantKey.secret, adminKey };
  }

  /** Another merchant of the shop's tenant, with its own bound key. */
  async function merchantOf(shopOf: Shop, name: string): Promise<{ merchantId: string; merchantKey: string }> {
    const merchant = await merchants.create(shopOf.tenantId, { name }, 'admin');
    const key = await apiKeys.create(shopOf.tenantId, { name: `${name} till`, role: 'merchant' }, 'admin');
    await merchantKeys.bind(shopOf.tenantId, { apiKeyId: key.apiKey.id, merchantId: merchant.id }, 'admin');
    return { merchantId: merchant.id, merchantKey: key.secret };
  }

  function issue(of: Shop): Promise<CouponEntity> {
    return issuer.issue(of.tenantId, { promotionId: of.promotionId, phone: '+14155550123', issueKey: `coupon-${++issued}` });
  }

  async function redeem(key: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}/api/v1/redemptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
  }

  return {
    url, logs, db, owner, apiKeys, merchants, merchantKeys, users, shop, merchantOf, issue, redeem,
    close: async () => {
      await app.close();
      await owner.end();
      await dataSource.destroy();
      await database.drop();
    },
  };
}

export type MerchantGateway = Awaited<ReturnType<typeof startMerchantGateway>>;
