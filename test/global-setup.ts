// jest loads global setup outside its module mapper, so the libs are imported by path here.
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../libs/database/src/run-migrations';
import { TEST_PG, templateName, urlFor } from '../libs/testing/src';
import { migrations } from '../migrations';

/**
 * Migrates a template database once per migration set; every test file clones it (createTestDatabase).
 * Concurrent jest runs agree on the name and serialize on an advisory lock.
 */
export default async function globalSetup(): Promise<void> {
  const template = templateName(join(__dirname, '..', 'migrations'));
  process.env.RINGFLOW_TEST_TEMPLATE = template;
  const admin = new Client({ connectionString: TEST_PG.admin });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(72217)');
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [template]);
    if (!rowCount) {
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(template)} WITH (FORCE)`);
      await runMigrations({ adminUrl: urlFor(template, 'admin'), appUrl: urlFor(template, 'app'), migrations });
      await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(template)} IS_TEMPLATE true`);
    }
  } finally {
    await admin.query('SELECT pg_advisory_unlock(72217)').catch(() => undefined);
    await admin.end();
  }
}
