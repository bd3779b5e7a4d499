import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  ApiKeyEntity,
  ApiKeysService,
  AuditEntryEntity,
  PhoneNumberEntity,
  PhoneNumbersService,
  SecretsCipher,
  TenantDatabase,
  TenantEntity,
  TenantsService,
  TwilioCredentialEntity,
  TwilioCredentialsService,
} from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';

/** The tenancy services over a database of the test file's own, connected as the app role. */
export async function tenancyFixture() {
  const database: TestDatabase = await createTestDatabase();
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.appUrl,
    entities: [TenantEntity, ApiKeyEntity, PhoneNumberEntity, TwilioCredentialEntity, AuditEntryEntity],
    poolSize: 4,
  });
  await dataSource.initialize();
  const db = new TenantDatabase(dataSource);
  const secretsKey = randomBytes(32);
  const services = {
    tenants: new TenantsService(db),
    apiKeys: new ApiKeysService(db),
    phoneNumbers: new PhoneNumbersService(db),
    twilio: new TwilioCredentialsService(db, new SecretsCipher(secretsKey)),
  };
  return {
    database,
    dataSource,
    db,
    secretsKey,
    ...services,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
