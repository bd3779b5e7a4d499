import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['merchant_api_keys', 'merchant_users'];

/**
 * Who redeems for which merchant: a merchant API key is bound to exactly one merchant of its tenant
 * (merchant_api_keys), and people sign in to the merchant web page as merchant users (scrypt hashes).
 */
export class MerchantUsers1764000400000 implements MigrationInterface {
  name = 'MerchantUsers1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchant_api_keys (
        tenant_id uuid NOT NULL,
        api_key_id uuid NOT NULL,
        merchant_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, api_key_id),
        FOREIGN KEY (tenant_id, api_key_id) REFERENCES api_keys (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, merchant_id) REFERENCES merchants (tenant_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX merchant_api_keys_merchant ON merchant_api_keys (tenant_id, merchant_id)`);

    await q.query(`
      CREATE TABLE merchant_users (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL,
        email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254 AND position('@' in email) > 1),
        password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, merchant_id) REFERENCES merchants (tenant_id, id) ON DELETE CASCADE
      )`);
    // Platform-wide, like phone_numbers_e164_key: the sign-in form knows an email, not a tenant.
    await q.query(`CREATE UNIQUE INDEX merchant_users_email_key ON merchant_users (email)`);
    await q.query(`CREATE INDEX merchant_users_merchant ON merchant_users (tenant_id, merchant_id)`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    }
    await q.query(`GRANT SELECT, INSERT, DELETE ON merchant_api_keys TO ringflow_rw`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON merchant_users TO ringflow_rw`);

    // Sign-in's one cross-tenant read: the user with this (lower-cased) email, before any tenant is known.
    await q.query(`
      CREATE FUNCTION ringflow_find_merchant_user(p_email text)
      RETURNS TABLE (tenant_id uuid, id uuid, merchant_id uuid, password_hash text)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT u.tenant_id, u.id, u.merchant_id, u.password_hash FROM merchant_users u WHERE u.email = p_email $$`);
    await q.query(`REVOKE ALL ON FUNCTION ringflow_find_merchant_user(text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ringflow_find_merchant_user(text) TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ringflow_find_merchant_user(text)`);
    for (const table of [...TENANT_TABLES].reverse()) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
