import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = [
  'contacts',
  'contact_lists',
  'contact_list_members',
  'opt_outs',
  'dialing_limits',
  'campaigns',
  'campaign_contacts',
  'campaign_attempts',
];

const E164 = `'^\\+[1-9][0-9]{6,14}$'`;
const OUTCOMES = `'human', 'machine', 'busy', 'no-answer', 'failed', 'invalid-number', 'unknown'`;

/**
 * Outbound voice campaigns: contacts and lists, the tenant's do-not-call list, the tenant's dialing
 * limits, campaigns, the audience snapshot taken at launch (one row per contact with its state and
 * final disposition) and every attempt, written before the call is placed and reconciled after.
 */
export class Campaigns1764000300000 implements MigrationInterface {
  name = 'Campaigns1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contacts (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        phone text NOT NULL CHECK (phone ~ ${E164}),
        name text CHECK (length(name) BETWEEN 1 AND 200),
        time_zone text CHECK (length(time_zone) BETWEEN 1 AND 64),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT contacts_phone_key UNIQUE (tenant_id, phone)
      )`);

    await q.query(`
      CREATE TABLE contact_lists (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE contact_list_members (
        tenant_id uuid NOT NULL,
        list_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, list_id, contact_id),
        FOREIGN KEY (tenant_id, list_id) REFERENCES contact_lists (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id) ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE opt_outs (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        phone text NOT NULL CHECK (phone ~ ${E164}),
        source text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, phone)
      )`);

    await q.query(`
      CREATE TABLE dialing_limits (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        calls_per_second integer NOT NULL CHECK (calls_per_second BETWEEN 1 AND 1000),
        max_concurrent_calls integer NOT NULL CHECK (max_concurrent_calls BETWEEN 1 AND 100000),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id)
      )`);

    await q.query(`
      CREATE TABLE campaigns (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
        list_id uuid NOT NULL,
        caller_id text NOT NULL CHECK (caller_id ~ ${E164}),
        flow_id uuid,
        flow_version integer CHECK (flow_version >= 1),
        answer_url text CHECK (answer_url ~ '^https?://'),
        window_start_minute integer NOT NULL DEFAULT 480 CHECK (window_start_minute >= 480),
        window_end_minute integer NOT NULL DEFAULT 1260 CHECK (window_end_minute <= 1260),
        calls_per_second integer NOT NULL CHECK (calls_per_second BETWEEN 1 AND 1000),
        max_concurrent_calls integer NOT NULL CHECK (max_concurrent_calls BETWEEN 1 AND 100000),
        max_attempts integer NOT NULL DEFAULT 1 CHECK (max_attempts BETWEEN 1 AND 10),
        retry_delays jsonb NOT NULL DEFAULT '{}',
        machine_handling text NOT NULL DEFAULT 'hang-up' CHECK (machine_handling IN ('hang-up', 'play-flow', 'ignore')),
        scheduled_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, list_id) REFERENCES contact_lists (tenant_id, id),
        FOREIGN KEY (tenant_id, flow_id, flow_version) REFERENCES flow_versions (tenant_id, flow_id, version),
        CHECK (window_start_minute < window_end_minute),
        CHECK ((flow_id IS NOT NULL AND flow_version IS NOT NULL AND answer_url IS NULL)
            OR (flow_id IS NULL AND flow_version IS NULL AND answer_url IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX campaigns_status ON campaigns (tenant_id, status)`);

    // The audience, snapshotted at launch: seq orders the pages of expansion.
    await q.query(`
      CREATE TABLE campaign_contacts (
        tenant_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        seq integer NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in-call', 'done')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz,
        disposition text CHECK (disposition IN (${OUTCOMES}, 'opted-out', 'cancelled')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, campaign_id, contact_id),
        CONSTRAINT campaign_contacts_seq_key UNIQUE (tenant_id, campaign_id, seq),
        FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
        CHECK ((state = 'done') = (disposition IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX campaign_contacts_open ON campaign_contacts (tenant_id, campaign_id, state) WHERE state <> 'done'`);

    await q.query(`
      CREATE TABLE campaign_attempts (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        attempt integer NOT NULL CHECK (attempt >= 1),
        status text NOT NULL DEFAULT 'dialing' CHECK (status IN ('dialing', 'not-placed', 'placed', 'ended')),
        call_sid text CHECK (call_sid ~ '^CA[0-9a-f]{32}$'),
        outcome text CHECK (outcome IN (${OUTCOMES})),
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        placed_at timestamptz,
        ended_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT campaign_attempts_once UNIQUE (tenant_id, campaign_id, contact_id, attempt),
        FOREIGN KEY (tenant_id, campaign_id, contact_id) REFERENCES campaign_contacts (tenant_id, campaign_id, contact_id) ON DELETE CASCADE,
        CHECK ((status = 'ended') = (outcome IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX campaign_attempts_call_sid ON campaign_attempts (tenant_id, call_sid) WHERE call_sid IS NOT NULL`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${TENANT_TABLES.join(', ')} TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TENANT_TABLES].reverse()) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
