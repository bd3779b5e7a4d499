import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenants, phone numbers, Twilio credentials, API keys and the audit log, walled off by row-level
 * security. The apps connect as a login role in `ringflow_rw`, which owns nothing, so RLS applies
 * to every statement they run; `app.tenant_id` is set per transaction with set_config(..., true).
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ringflow_rw') THEN
          CREATE ROLE ringflow_rw NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF;
      END $$`);

    await q.query(`
      CREATE FUNCTION ringflow_current_tenant() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$`);

    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        time_zone text NOT NULL DEFAULT 'UTC',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE phone_numbers (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        e164 text NOT NULL CHECK (e164 ~ '^\\+[1-9][0-9]{6,14}$'),
        friendly_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
    // A number routes to exactly one tenant platform-wide: Twilio posts by the called number.
    await q.query(`CREATE UNIQUE INDEX phone_numbers_e164_key ON phone_numbers (e164)`);

    await q.query(`
      CREATE TABLE twilio_credentials (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        account_sid text NOT NULL CHECK (account_sid ~ '^AC[0-9a-f]{32}$'),
        auth_token_encrypted text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id)
      )`);

    await q.query(`
      CREATE TABLE api_keys (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        role text NOT NULL CHECK (role IN ('admin', 'marketer', 'analyst', 'merchant')),
        prefix text NOT NULL,
        key_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        PRIMARY KEY (tenant_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash)`);

    await q.query(`
      CREATE TABLE audit_log (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id bigint GENERATED ALWAYS AS IDENTITY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        details jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at DESC)`);

    await q.query(`ALTER TABLE tenants ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE tenants FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON tenants
      USING (id = ringflow_current_tenant()) WITH CHECK (id = ringflow_current_tenant())`);
    for (const table of ['phone_numbers', 'twilio_credentials', 'api_keys', 'audit_log']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    }

    // The only cross-tenant reads the apps may make, each answering one narrow question before a
    // tenant is known. SECURITY DEFINER runs them as the owner; search_path is pinned against hijack.
    await q.query(`
      CREATE FUNCTION ringflow_find_api_key(p_hash bytea)
      RETURNS TABLE (tenant_id uuid, id uuid, role text, expires_at timestamptz, revoked_at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT k.tenant_id, k.id, k.role, k.expires_at, k.revoked_at FROM api_keys k WHERE k.key_hash = p_hash $$`);
    await q.query(`
      CREATE FUNCTION ringflow_tenant_for_number(p_e164 text) RETURNS uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT n.tenant_id FROM phone_numbers n WHERE n.e164 = p_e164 $$`);
    await q.query(`REVOKE ALL ON FUNCTION ringflow_find_api_key(bytea) FROM PUBLIC`);
    await q.query(`REVOKE ALL ON FUNCTION ringflow_tenant_for_number(text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ringflow_find_api_key(bytea) TO ringflow_rw`);
    await q.query(`GRANT EXECUTE ON FUNCTION ringflow_tenant_for_number(text) TO ringflow_rw`);

    await q.query(`GRANT USAGE ON SCHEMA public TO ringflow_rw`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, phone_numbers, twilio_credentials, api_keys TO ringflow_rw`);
    // The audit log is append-only for the apps.
    await q.query(`GRANT SELECT, INSERT ON audit_log TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ringflow_tenant_for_number(text)`);
    await q.query(`DROP FUNCTION IF EXISTS ringflow_find_api_key(bytea)`);
    for (const table of ['audit_log', 'api_keys', 'twilio_credentials', 'phone_numbers', 'tenants']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS ringflow_current_tenant()`);
  }
}
