// npm run db:migrate: creates the database and the app role when missing, applies pending migrations.
// Safe to run again. Needs DATABASE_ADMIN_URL (schema owner) and DATABASE_URL (the apps' role).
import { z } from 'zod';
import { envFields, loadConfigOrExit } from '@ringflow/config';
import { runMigrations } from '@ringflow/database';
import { migrations } from '../migrations';

const config = loadConfigOrExit(
  'db:migrate',
  z.object({ DATABASE_URL: envFields.DATABASE_URL, DATABASE_ADMIN_URL: envFields.DATABASE_URL }),
);

runMigrations({
  adminUrl: config.DATABASE_ADMIN_URL,
  appUrl: config.DATABASE_URL,
  migrations,
  log: (line) => console.log(`db:migrate: ${line}`),
})
  .then((applied) => console.log(`db:migrate: ${applied.length ? `${applied.length} applied` : 'up to date'}`))
  .catch((error: Error) => {
    console.error(`db:migrate: failed: ${error.message}`);
    process.exit(1);
  });
