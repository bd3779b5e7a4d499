import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createLogger } from '@ringflow/observability';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { adminApiConfigSchema } from '../../../apps/admin-api/src/admin-api.config';
import { AdminApiModule } from '../../../apps/admin-api/src/admin-api.module';
import type { GqlResult } from '../../support/admin-api-harness';
import { dropNamespace } from '../../workers/support/wait-for';

/**
 * The admin API in-process, as `test/support/admin-api-harness.ts` starts it, but with a queue namespace of its own
 * (campaign launches and SMS campaigns queue jobs no other test's worker may take) and settings such as NODE_ENV.
 */
export async function startIsolatedAdminApi(env: Record<string, string> = {}) {
  const database: TestDatabase = await createTestDatabase();
  const operatorKey = `op_${randomBytes(24).toString('hex')}`;
  const namespace = `test-sweep-${randomBytes(4).toString('hex')}`;
  const config = adminApiConfigSchema.parse({
    DATABASE_URL: database.appUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PORT: '0',
    OPERATOR_API_KEY: operatorKey,
    SECRETS_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    QUEUE_NAMESPACE: namespace,
    ...env,
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

  /** Fails loudly with the operation's errors, for set-up steps that must work. */
  async function must<T = Record<string, any>>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await gql<T>(key, query, variables);
    if (result.errors?.length || !result.data) throw new Error(`set-up failed: ${query}\n${JSON.stringify(result.errors)}`);
    return result.data;
  }

  return {
    url,
    database,
    operatorKey,
    gql,
    must,
    close: async () => {
      await app.close();
      await database.drop();
      await dropNamespace(namespace);
    },
  };
}

export type IsolatedAdminApi = Awaited<ReturnType<typeof startIsolatedAdminApi>>;
