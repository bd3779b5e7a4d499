import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['sms_message_statuses', 'funnel_counters', 'funnel_facts', 'redemption_attributions', 'webhook_endpoints', 'webhook_deliveries'];

/**
 * Coupon SMS delivery tracking, the conversion funnel and tenant webhooks.
 * - coupons.sms_status gains `sending` (claimed by the SMS worker, not yet accepted by Twilio).
 * - sms_message_statuses: the best status Twilio reported per message, kept even when the callback
 *   arrives before the worker has written the message SID onto its coupon.
 * - funnel_counters per (tenant, promotion, campaign or nil); funnel_facts remembers what was counted,
 *   so a replayed event or status changes no counter twice.
 * - redemption_attributions: one row per redemption event, with what it is attributed to.
 * - webhook_endpoints (secret sealed with SecretsCipher: it must be usable to sign) and their deliveries.
 */
export class TrackingAndWebhooks1764000500000 implements MigrationInterface {
  name = 'TrackingAndWebhooks1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE coupons DROP CONSTRAINT coupons_sms_status_check`);
    await q.query(`ALTER TABLE coupons ADD CONSTRAINT coupons_sms_status_check
      CHECK (sms_status IN ('pending', 'sending', 'sent', 'delivered', 'failed'))`);
    await q.query(`CREATE INDEX coupons_sms_message ON coupons (tenant_id, sms_message_sid) WHERE sms_message_sid IS NOT NULL`);

    await q.query(`
      CREATE TABLE sms_message_statuses (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        message_sid text NOT NULL CHECK (message_sid ~ '^(SM|MM)[0-9a-f]{32}$'),
        status text NOT NULL CHECK (status IN ('sent', 'delivered', 'failed')),
        error_code text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, message_sid)
      )`);

    await q.query(`
      CREATE TABLE funnel_counters (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        promotion_id uuid NOT NULL,
        -- the nil UUID when the coupon came from no campaign (inbound calls)
        campaign_id uuid NOT NULL,
        issued bigint NOT NULL DEFAULT 0,
        sent bigint NOT NULL DEFAULT 0,
        delivered bigint NOT NULL DEFAULT 0,
        failed bigint NOT NULL DEFAULT 0,
        redeemed bigint NOT NULL DEFAULT 0,
        revenue numeric(16, 2) NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, promotion_id, campaign_id),
        FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotions (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE funnel_facts (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        metric text NOT NULL CHECK (metric IN ('issued', 'sent', 'delivered', 'failed', 'redeemed')),
        subject_id text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, metric, subject_id)
      )`);

    await q.query(`
      CREATE TABLE redemption_attributions (
        tenant_id uuid NOT NULL,
        event_id bigint NOT NULL,
        coupon_id uuid NOT NULL,
        promotion_id uuid NOT NULL,
        campaign_id uuid,
        contact_id uuid,
        call_sid text,
        merchant_id uuid NOT NULL,
        order_amount numeric(12, 2),
        issued_at timestamptz NOT NULL,
        redeemed_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, event_id),
        FOREIGN KEY (tenant_id, event_id) REFERENCES coupon_events (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX redemption_attributions_campaign ON redemption_attributions (tenant_id, campaign_id) WHERE campaign_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE webhook_endpoints (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
        secret_encrypted text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL,
        event_type text NOT NULL,
        event_key text NOT NULL CHECK (length(event_key) BETWEEN 1 AND 200),
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        replays integer NOT NULL DEFAULT 0,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT webhook_deliveries_once UNIQUE (tenant_id, endpoint_id, event_key),
        FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_status ON webhook_deliveries (tenant_id, status, created_at)`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE ON sms_message_statuses, funnel_counters, webhook_deliveries TO ringflow_rw`);
    // Facts and attributions are remembered, never rewritten.
    await q.query(`GRANT SELECT, INSERT ON funnel_facts, redemption_attributions TO ringflow_rw`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_endpoints TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TENANT_TABLES].reverse()) await q.query(`DROP TABLE IF EXISTS ${table}`);
    await q.query(`DROP INDEX IF EXISTS coupons_sms_message`);
    await q.query(`UPDATE coupons SET sms_status = 'pending' WHERE sms_status = 'sending'`);
    await q.query(`ALTER TABLE coupons DROP CONSTRAINT coupons_sms_status_check`);
    await q.query(`ALTER TABLE coupons ADD CONSTRAINT coupons_sms_status_check CHECK (sms_status IN ('pending', 'sent', 'delivered', 'failed'))`);
  }
}
