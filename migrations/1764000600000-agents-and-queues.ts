import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['agents', 'call_queues', 'call_queue_agents', 'queue_voicemails'];

/**
 * The pull queue: a tenant's agents (a mobile number each, available or away), its named queues and who
 * answers each, and the voicemails callers left when nobody took them.
 */
export class AgentsAndQueues1764000600000 implements MigrationInterface {
  name = 'AgentsAndQueues1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agents (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        available boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT agents_phone_key UNIQUE (tenant_id, phone)
      )`);

    await q.query(`
      CREATE TABLE call_queues (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        voicemail_notify text NOT NULL DEFAULT 'agents' CHECK (voicemail_notify IN ('agents', 'number')),
        voicemail_number text CHECK (voicemail_number ~ '^\\+[1-9][0-9]{6,14}$'),
        announce_position boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT call_queues_name_key UNIQUE (tenant_id, name),
        CHECK (voicemail_notify = 'agents' OR voicemail_number IS NOT NULL)
      )`);

    await q.query(`
      CREATE TABLE call_queue_agents (
        tenant_id uuid NOT NULL,
        queue_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        PRIMARY KEY (tenant_id, queue_id, agent_id),
        FOREIGN KEY (tenant_id, queue_id) REFERENCES call_queues (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX call_queue_agents_agent ON call_queue_agents (tenant_id, agent_id)`);

    await q.query(`
      CREATE TABLE queue_voicemails (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        call_sid text NOT NULL CHECK (call_sid ~ '^CA[0-9a-f]{32}$'),
        queue_name text NOT NULL,
        caller text NOT NULL,
        recording_url text NOT NULL,
        duration_seconds integer NOT NULL CHECK (duration_seconds >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT queue_voicemails_call_key UNIQUE (tenant_id, call_sid)
      )`);
    await q.query(`CREATE INDEX queue_voicemails_created ON queue_voicemails (tenant_id, created_at DESC)`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON agents, call_queues, call_queue_agents TO ringflow_rw`);
    await q.query(`GRANT SELECT, INSERT ON queue_voicemails TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS queue_voicemails, call_queue_agents, call_queues, agents`);
  }
}
