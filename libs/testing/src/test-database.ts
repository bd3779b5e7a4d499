import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** Where tests reach Postgres as the owner (to clone and drop databases) and as the app role. */
export const TEST_PG = {
  admin: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  appUser: 'ringflow_test_app',
  appPassword: 'ringflow_test_app',
};

/** The template's name follows the migrations' content, so a changed migration gets a fresh template. */
export function templateName(migrationsDir: string): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir).sort()) hash.update(file).update(readFileSync(join(migrationsDir, file)));
  return `ringflow_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export function urlFor(database: string, as: 'admin' | 'app'): string {
  const url = new URL(TEST_PG.admin);
  url.pathname = `/${database}`;
  if (as === 'app') {
    url.username = TEST_PG.appUser;
    url.password = TEST_PG.appPassword;
  }
  return url.toString();
}

export interface TestDatabase {
  name: string;
  /** Connection as the apps' unprivileged role: row-level security applies. */
  appUrl: string;
  /** Connection as the owner, for assertions that must see past RLS. */
  adminUrl: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_PG.admin });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of its own for one test file, cloned from the migrated template (fast: a file copy). */
export async function createTestDatabase(template = process.env.RINGFLOW_TEST_TEMPLATE): Promise<TestDatabase> {
  if (!template) throw new Error('RINGFLOW_TEST_TEMPLATE is not set: run tests through jest (test/global-setup.ts)');
  const name = `ringflow_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE ${c.escapeIdentifier(template)}`));
  return {
    name,
    appUrl: urlFor(name, 'app'),
    adminUrl: urlFor(name, 'admin'),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}
