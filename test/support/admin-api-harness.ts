import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createLogger } from '@ringflow/observability';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { adminApiConfigSchema } from '../../apps/admin-api/src/admin-api.config';
import { AdminApiModule } from '../../apps/admin-api/src/admin-api.module';

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/** The admin API in-process on a free port, over a database of the test file's own. */
export async function startAdminApi() {
  const database: TestDatabase = await createTestDatabase();
  const operatorKey = `op_${randomBytes(24).toString('hex')}`;
  const config = adminApiConfigSchema.parse({
    DATABASE_URL: database.appUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PORT: '0',
    OPERATOR_API_KEY: operatorKey,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
  });
  const app: NestFastifyApplication = await createHttpApp(AdminApiModule.forRoot(config), createLogger('admin-api', 'silent'));
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();

  async function gql<T = Record<string, any>>(key: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GqlResult<T>, 'status'>) };
  }

  /** A new tenant with an admin key, made the way an operator would. */
  async function tenantWithAdmin(name: string): Promise<{ tenantId: string; adminKey: string }> {
    const created = await gql(operatorKey, 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name } });
    const tenantId = created.data!.createTenant.id;
    const key = await gql(operatorKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
      i: { tenantId, name: `${name} admin`, role: 'ADMIN' },
    });
    return { tenantId, adminKey: key.data!.createApiKey.secret };
  }

  async function keyFor(adminKey: string, role: string): Promise<{ id: string; secret: string }> {
    const created = await gql(adminKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret apiKey { id } } }', {
      i: { name: `${role.toLowerCase()} key`, role },
    });
    return { id: created.data!.createApiKey.apiKey.id, secret: created.data!.createApiKey.secret };
  }

  return {
    url,
    database,
    operatorKey,
    gql,
    tenantWithAdmin,
    keyFor,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export function codeOf(result: GqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
