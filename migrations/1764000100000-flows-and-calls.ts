import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flows (an editable draft), their published versions (immutable for the apps), which flow answers
 * each phone number, and the durable record of every finished call. Same RLS rules as the foundation.
 */
export class FlowsAndCalls1764000100000 implements MigrationInterface {
  name = 'FlowsAndCalls1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE flows (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        draft jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE flow_versions (
        tenant_id uuid NOT NULL,
        flow_id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        document jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        published_by text NOT NULL,
        PRIMARY KEY (tenant_id, flow_id, version),
        FOREIGN KEY (tenant_id, flow_id) REFERENCES flows(tenant_id, id) ON DELETE CASCADE
      )`);

    // Which flow answers a number; the latest published version of that flow takes new calls.
    await q.query(`ALTER TABLE phone_numbers ADD COLUMN flow_id uuid`);
    await q.query(`ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_flow_fkey
      FOREIGN KEY (tenant_id, flow_id) REFERENCES flows(tenant_id, id)`);
    await q.query(`CREATE INDEX phone_numbers_tenant_flow ON phone_numbers (tenant_id, flow_id) WHERE flow_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE call_records (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        call_sid text NOT NULL CHECK (call_sid ~ '^CA[0-9a-f]{32}$'),
        from_number text NOT NULL,
        to_number text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
        flow_id uuid,
        flow_version integer,
        started_at timestamptz,
        ended_at timestamptz NOT NULL,
        duration_seconds integer NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
        outcome text NOT NULL,
        node_path text[] NOT NULL DEFAULT '{}',
        variables jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, call_sid)
      )`);
    await q.query(`CREATE INDEX call_records_tenant_ended ON call_records (tenant_id, ended_at DESC)`);

    for (const table of ['flows', 'flow_versions', 'call_records']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    }

    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON flows TO ringflow_rw`);
    // A published version never changes: the apps may add one, never rewrite or remove it.
    await q.query(`GRANT SELECT, INSERT ON flow_versions TO ringflow_rw`);
    // A call record is written once, when the call ends.
    await q.query(`GRANT SELECT, INSERT ON call_records TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS call_records`);
    await q.query(`ALTER TABLE phone_numbers DROP CONSTRAINT IF EXISTS phone_numbers_flow_fkey`);
    await q.query(`DROP INDEX IF EXISTS phone_numbers_tenant_flow`);
    await q.query(`ALTER TABLE phone_numbers DROP COLUMN IF EXISTS flow_id`);
    await q.query(`DROP TABLE IF EXISTS flow_versions`);
    await q.query(`DROP TABLE IF EXISTS flows`);
  }
}
