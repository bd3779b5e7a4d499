import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { FlowStore } from '@ringflow/flow-store';
import { createHttpApp, createLogger } from '@ringflow/observability';
import {
  ApiKeyEntity, ApiKeysService, AuditEntryEntity, PhoneNumberEntity, PhoneNumbersService, SecretsCipher, TenantDatabase, TenantEntity,
  TenantsService, TwilioCredentialEntity, TwilioCredentialsService, type TenantId,
} from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { gatewayBodyLimit, gatewayConfigSchema } from '../../../apps/gateway/src/gateway.config';
import { GatewayModule } from '../../../apps/gateway/src/gateway.module';

/** The URL Twilio is configured with; the apps listen elsewhere (as behind a proxy). */
export const PUBLIC_BASE_URL = 'https://ivr.ringflow.test';

export interface TestTenant {
  tenantId: TenantId;
  number: string;
  accountSid: string;
  authToken: string;
  adminKey: string;
  analystKey: string;
}

/** One or more gateway instances in-process over a database of the test file's own, plus the services to set tenants up. */
export async function startGateways(instances = 1, env: Record<string, string> = {}) {
  const database: TestDatabase = await createTestDatabase();
  const secretsKey = randomBytes(32);
  const config = gatewayConfigSchema.parse({
    DATABASE_URL: database.appUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PORT: '0',
    PUBLIC_BASE_URL,
    OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`,
    SECRETS_KEY: secretsKey.toString('hex'),
    LOG_LEVEL: 'silent',
    HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8',
    ...env,
  });
  const apps: NestFastifyApplication[] = [];
  /** Every line the gateways logged, at debug level: tests check what never reaches a log. */
  const logs: string[] = [];
  const logger = createLogger('gateway', 'debug', { write: (line: string) => void logs.push(line) });
  for (let i = 0; i < instances; i++) {
    const app = await createHttpApp(GatewayModule.forRoot(config), logger, { bodyLimit: gatewayBodyLimit });
    await app.listen(0, '127.0.0.1');
    apps.push(app);
  }
  const urls = await Promise.all(apps.map((app) => app.getUrl()));

  const dataSource = await new DataSource({
    type: 'postgres', url: database.appUrl, poolSize: 3,
    entities: [TenantEntity, ApiKeyEntity, PhoneNumberEntity, TwilioCredentialEntity, AuditEntryEntity],
  }).initialize();
  const db = new TenantDatabase(dataSource);
  const flows = new FlowStore(db);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });

  /** A tenant made as an operator and its admin would: number, Twilio credentials, keys, and a published flow on the number. */
  async function tenantWithFlow(name: string, number: string, flowDocument: unknown): Promise<TestTenant & { flowId: string }> {
    const tenantId = (await new TenantsService(db).create({ name }, 'operator')).id as TenantId;
    await new PhoneNumbersService(db).add(tenantId, { number }, 'operator');
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    await new TwilioCredentialsService(db, new SecretsCipher(secretsKey)).set(tenantId, { accountSid, authToken }, 'operator');
    const keys = new ApiKeysService(db);
    const adminKey = (await keys.create(tenantId, { name: 'crm', role: 'admin' }, 'operator')).secret;
    const analystKey = (await keys.create(tenantId, { name: 'analyst', role: 'analyst' }, 'operator')).secret;
    const created = await flows.create(tenantId, flowDocument, 'operator');
    if (!created.ok) throw new Error(`test flow is invalid: ${JSON.stringify(created.errors)}`);
    const published = await flows.publish(tenantId, created.value.id, 'operator');
    if (!published.ok) throw new Error(`test flow did not publish: ${JSON.stringify(published.errors)}`);
    await flows.bindNumber(tenantId, number, created.value.id, 'operator');
    return { tenantId, number, accountSid, authToken, adminKey, analystKey, flowId: created.value.id };
  }

  async function api(url: string, key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : undefined, text };
  }

  return {
    apps,
    logs,
    urls,
    url: urls[0],
    database,
    db,
    flows,
    redis,
    config,
    tenantWithFlow,
    api,
    close: async () => {
      for (const app of apps) await app.close();
      await redis.quit();
      await dataSource.destroy();
      await database.drop();
    },
  };
}

export type GatewayHarness = Awaited<ReturnType<typeof startGateways>>;
