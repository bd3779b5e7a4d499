import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FlowStore } from '@ringflow/flow-store';
import {
  ApiKeyEntity, AuditEntryEntity, PhoneNumberEntity, PhoneNumbersService, SecretsCipher, TenantDatabase, TenantEntity,
  TenantsService, TwilioCredentialEntity, TwilioCredentialsService, type TenantId,
} from '@ringflow/tenancy';
import { createTestDatabase } from '@ringflow/testing';
import globalSetup from '../../test/global-setup';

/** What the load generator needs to sign and send a tenant's webhooks. */
export interface BenchTenant {
  tenantId: TenantId;
  number: string;
  accountSid: string;
  authToken: string;
}

/**
 * A realistic step: the caller presses 1 on a menu, the gateway looks the caller up on the tenant's API (a stub
 * on 127.0.0.1), branches on the answer and says it, then waits on the menu again. One webhook = one such step.
 */
export function benchFlow(apiUrl: string) {
  const again = 'For your balance, press 1. To hang up, press 9.';
  return {
    schemaVersion: 1,
    name: 'Bench: balance menu',
    start: 'menu',
    nodes: {
      menu: {
        type: 'menu',
        prompts: [{ kind: 'say', text: again }],
        options: [{ key: '1', next: 'lookup' }, { key: '9', next: 'goodbye' }],
        attempts: 3,
        invalidPrompts: [{ kind: 'say', text: 'Sorry, that is not an option.' }],
        next: { 'no-input': 'goodbye', invalid: 'goodbye' },
      },
      lookup: {
        type: 'http',
        method: 'GET',
        url: `${apiUrl}/accounts?phone={{ system.caller | url_encode }}`,
        extract: { balance: '$.account.balance', tier: '$.account.tier' },
        timeoutMs: 3000,
        next: { success: 'tier_check', failure: 'sorry', timeout: 'sorry' },
      },
      tier_check: {
        type: 'condition',
        cases: [{ rules: [{ value: '{{ vars.tier }}', op: 'equals', operand: 'premium' }], next: 'premium_balance' }],
        next: { else: 'balance' },
      },
      premium_balance: { type: 'say', text: 'Thank you for being a premium customer. Your balance is {{ vars.balance }} dollars.', next: 'menu' },
      balance: { type: 'say', text: 'Your balance is {{ vars.balance }} dollars.', next: 'menu' },
      sorry: { type: 'say', text: 'Sorry, we could not find your account.', next: 'menu' },
      goodbye: { type: 'say', text: 'Goodbye.', next: 'end' },
      end: { type: 'hangup' },
    },
  };
}

/** A database of the bench's own (cloned from the tests' template) with one tenant whose number runs `benchFlow`. */
export async function benchTenant(apiUrl: string, secretsKey: Buffer) {
  await globalSetup();
  const database = await createTestDatabase();
  const dataSource = await new DataSource({
    type: 'postgres', url: database.appUrl, poolSize: 2,
    entities: [TenantEntity, ApiKeyEntity, PhoneNumberEntity, TwilioCredentialEntity, AuditEntryEntity],
  }).initialize();
  try {
    const db = new TenantDatabase(dataSource);
    const number = '+14155550199';
    const tenantId = (await new TenantsService(db).create({ name: 'Bench' }, 'operator')).id as TenantId;
    await new PhoneNumbersService(db).add(tenantId, { number }, 'operator');
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    await new TwilioCredentialsService(db, new SecretsCipher(secretsKey)).set(tenantId, { accountSid, authToken }, 'operator');
    const flows = new FlowStore(db);
    const created = await flows.create(tenantId, benchFlow(apiUrl), 'operator');
    if (!created.ok) throw new Error(`bench flow is invalid: ${JSON.stringify(created.errors)}`);
    const published = await flows.publish(tenantId, created.value.id, 'operator');
    if (!published.ok) throw new Error(`bench flow did not publish: ${JSON.stringify(published.errors)}`);
    await flows.bindNumber(tenantId, number, created.value.id, 'operator');
    const tenant: BenchTenant = { tenantId, number, accountSid, authToken };
    return { tenant, database };
  } finally {
    await dataSource.destroy();
  }
}
