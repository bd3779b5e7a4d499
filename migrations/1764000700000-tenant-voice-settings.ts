import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a tenant's callers hear when a call cannot go on, and the caller id its outbound calls show. */
export class TenantVoiceSettings1764000700000 implements MigrationInterface {
  name = 'TenantVoiceSettings1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants
        ADD COLUMN fallback_message text CHECK (length(fallback_message) BETWEEN 1 AND 500),
        ADD COLUMN fallback_transfer_number text CHECK (fallback_transfer_number ~ '^\\+[1-9][0-9]{6,14}$'),
        ADD COLUMN default_caller_id text CHECK (default_caller_id ~ '^\\+[1-9][0-9]{6,14}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants DROP COLUMN fallback_message, DROP COLUMN fallback_transfer_number, DROP COLUMN default_caller_id`);
  }
}
