import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A tenant's SMTP server for flow email nodes; the password is AES-256-GCM sealed by the app (write-only). */
export class SmtpSettings1764001500000 implements MigrationInterface {
  name = 'SmtpSettings1764001500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE smtp_settings (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        host text NOT NULL CHECK (length(host) BETWEEN 1 AND 253),
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security text NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
        username text NOT NULL CHECK (length(username) BETWEEN 1 AND 320),
        password_encrypted text NOT NULL,
        from_address text NOT NULL,
        reply_to text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id)
      )`);
    await q.query(`ALTER TABLE smtp_settings ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE smtp_settings FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON smtp_settings
      USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON smtp_settings TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE smtp_settings`);
  }
}
