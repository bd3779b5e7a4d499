import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SMS campaigns: a campaign of kind `sms` texts its Liquid template (rendered per contact at send time)
 * from its caller id (the sender number) at `messages_per_second`. Each contact of the audience gets one
 * row in sms_campaign_messages, with the message SID Twilio gave and the delivery status it reported.
 * A voice campaign (`call`, the default) still needs a flow or an answer URL; an SMS campaign has neither.
 */
export class SmsCampaigns1764001000000 implements MigrationInterface {
  name = 'SmsCampaigns1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE campaigns
        ADD COLUMN kind text NOT NULL DEFAULT 'call' CHECK (kind IN ('call', 'sms')),
        ADD COLUMN message_template text CHECK (length(message_template) BETWEEN 1 AND 1600),
        ADD COLUMN messages_per_second integer CHECK (messages_per_second BETWEEN 1 AND 1000)`);
    // The unnamed "flow or answer URL" check of 1764000300000 now holds for voice campaigns only.
    await q.query(`
      DO $$ DECLARE c text; BEGIN
        SELECT conname INTO c FROM pg_constraint
         WHERE conrelid = 'campaigns'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%answer_url IS NULL%';
        IF c IS NOT NULL THEN EXECUTE format('ALTER TABLE campaigns DROP CONSTRAINT %I', c); END IF;
      END $$`);
    await q.query(`
      ALTER TABLE campaigns ADD CONSTRAINT campaigns_answer_by_kind CHECK (
        (kind = 'call' AND message_template IS NULL AND messages_per_second IS NULL
          AND ((flow_id IS NOT NULL AND flow_version IS NOT NULL AND answer_url IS NULL)
            OR (flow_id IS NULL AND flow_version IS NULL AND answer_url IS NOT NULL)))
        OR (kind = 'sms' AND message_template IS NOT NULL AND messages_per_second IS NOT NULL
          AND flow_id IS NULL AND flow_version IS NULL AND answer_url IS NULL))`);

    await q.query(`
      CREATE TABLE sms_campaign_messages (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        campaign_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        seq integer NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'opted-out', 'cancelled')),
        message_sid text CHECK (message_sid ~ '^(SM|MM)[0-9a-f]{32}$'),
        error_code text CHECK (length(error_code) BETWEEN 1 AND 64),
        claimed_at timestamptz,
        sent_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT sms_campaign_messages_once UNIQUE (tenant_id, campaign_id, contact_id),
        FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX sms_campaign_messages_sid ON sms_campaign_messages (tenant_id, message_sid) WHERE message_sid IS NOT NULL`);
    await q.query(`CREATE INDEX sms_campaign_messages_progress ON sms_campaign_messages (tenant_id, campaign_id, status)`);
    await q.query(`ALTER TABLE sms_campaign_messages ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE sms_campaign_messages FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_isolation ON sms_campaign_messages
      USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON sms_campaign_messages TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS sms_campaign_messages`);
    await q.query(`DELETE FROM campaigns WHERE kind = 'sms'`);
    await q.query(`ALTER TABLE campaigns DROP CONSTRAINT campaigns_answer_by_kind`);
    await q.query(`ALTER TABLE campaigns ADD CHECK ((flow_id IS NOT NULL AND flow_version IS NOT NULL AND answer_url IS NULL)
      OR (flow_id IS NULL AND flow_version IS NULL AND answer_url IS NOT NULL))`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN messages_per_second, DROP COLUMN message_template, DROP COLUMN kind`);
  }
}
