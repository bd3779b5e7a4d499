import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Free-form attributes per contact (a flat JSON object: extra CSV columns, or `attributes` of a ContactInput). */
export class ContactAttributes1764000900000 implements MigrationInterface {
  name = 'ContactAttributes1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE contacts
        ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'
          CONSTRAINT contacts_attributes_object CHECK (jsonb_typeof(attributes) = 'object' AND octet_length(attributes::text) <= 16384)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contacts DROP COLUMN attributes`);
  }
}
