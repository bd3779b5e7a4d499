// npm run schema:generate — writes apps/admin-api/schema.graphql; a test fails when it is stale.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printAdminSchema } from '../apps/admin-api/src/schema/print-schema';

printAdminSchema()
  .then((sdl) => {
    writeFileSync(join(__dirname, '..', 'apps', 'admin-api', 'schema.graphql'), sdl);
    console.log('schema:generate: wrote apps/admin-api/schema.graphql');
  })
  .catch((error: Error) => {
    console.error(`schema:generate: ${error.stack ?? error.message}`);
    process.exit(1);
  });
