import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { workerConfigSchema } from '@ringflow/config';
import { WorkerBaseModule } from '@ringflow/database';
import { createHttpApp, createLogger, createWorkerApp } from '@ringflow/observability';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { adminApiConfigSchema } from '../../apps/admin-api/src/admin-api.config';
import { AdminApiModule } from '../../apps/admin-api/src/admin-api.module';

const root = join(__dirname, '..', '..');

/** Runs an app's main.ts as its own process with the given environment; resolves with exit code and stderr. */
function runMain(app: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'apps', app, 'src', 'main.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('booting the apps', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('a missing or malformed variable stops the process with a message naming it', async () => {
    const { code, stderr } = await runMain('admin-api', {
      REDIS_URL: 'http://127.0.0.1:6379',
      OPERATOR_API_KEY: 'short',
      SECRETS_KEY: 'not-a-key',
    });
    expect(code).toBe(78);
    expect(stderr).toContain('admin-api: invalid configuration');
    expect(stderr).toContain('DATABASE_URL: is required but not set');
    expect(stderr).toContain('REDIS_URL: must be a redis: or rediss: URL');
    expect(stderr).toContain('OPERATOR_API_KEY: must be at least 24 characters');
    expect(stderr).toContain('SECRETS_KEY: must be 32 bytes');
    expect(stderr).not.toContain('not-a-key');
  });

  it('a worker boots without an HTTP server once Postgres and Redis answer, and closes cleanly', async () => {
    const config = workerConfigSchema.parse({
      DATABASE_URL: database.appUrl,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SECRETS_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    });
    const app = await createWorkerApp(WorkerBaseModule.forRoot('worker-calls', config), createLogger('worker-calls', 'silent'));
    await app.init();
    await app.close();
  });

  it('a worker whose Postgres is unreachable refuses to start and says why', async () => {
    const config = workerConfigSchema.parse({
      DATABASE_URL: 'postgres://ringflow_test_app@127.0.0.1:1/nothing',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SECRETS_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    });
    await expect(createWorkerApp(WorkerBaseModule.forRoot('worker-sms', config), createLogger('worker-sms', 'silent'))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('an app connecting as the schema owner refuses to start: row-level security would not hold it', async () => {
    const config = adminApiConfigSchema.parse({
      DATABASE_URL: database.adminUrl,
      REDIS_URL: 'redis://127.0.0.1:6379',
      OPERATOR_API_KEY: randomBytes(24).toString('hex'),
      SECRETS_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    });
    await expect(createHttpApp(AdminApiModule.forRoot(config), createLogger('admin-api', 'silent'))).rejects.toThrow(/is a superuser/);
  });
});
