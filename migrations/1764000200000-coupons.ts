import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['promotions', 'merchants', 'coupons', 'redemption_attempts', 'coupon_events'];

/**
 * Promotions, merchants, coupons with unique serials, every redemption attempt, and an outbox of coupon
 * events for the tracking worker. Exactly-once redemption rests on one conditional UPDATE of `coupons`.
 */
export class Coupons1764000200000 implements MigrationInterface {
  name = 'Coupons1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE promotions (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        offer text NOT NULL CHECK (length(offer) BETWEEN 1 AND 500),
        discount text NOT NULL CHECK (length(discount) BETWEEN 1 AND 100),
        sms_template text NOT NULL CHECK (length(sms_template) BETWEEN 1 AND 1000),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        coupon_lifetime_days integer CHECK (coupon_lifetime_days > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id),
        CHECK (valid_until > valid_from)
      )`);

    await q.query(`
      CREATE TABLE merchants (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);

    await q.query(`
      CREATE TABLE coupons (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        promotion_id uuid NOT NULL,
        serial text NOT NULL CHECK (serial ~ '^[0-9A-HJKMNP-TV-Z]{15}$'),
        phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
        issue_key text NOT NULL CHECK (length(issue_key) BETWEEN 1 AND 200),
        call_sid text,
        campaign_id uuid,
        contact_id uuid,
        issued_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        redeemed_at timestamptz,
        redeemed_by_merchant_id uuid,
        order_amount numeric(12, 2) CHECK (order_amount >= 0),
        sms_status text NOT NULL DEFAULT 'pending' CHECK (sms_status IN ('pending', 'sent', 'delivered', 'failed')),
        sms_message_sid text,
        sms_status_at timestamptz,
        sms_error text,
        PRIMARY KEY (tenant_id, id),
        CONSTRAINT coupons_serial_key UNIQUE (tenant_id, serial),
        CONSTRAINT coupons_issue_key_key UNIQUE (tenant_id, issue_key),
        FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotions (tenant_id, id),
        FOREIGN KEY (tenant_id, redeemed_by_merchant_id) REFERENCES merchants (tenant_id, id),
        CHECK ((redeemed_at IS NULL) = (redeemed_by_merchant_id IS NULL))
      )`);
    await q.query(`CREATE INDEX coupons_promotion ON coupons (tenant_id, promotion_id)`);

    await q.query(`
      CREATE TABLE redemption_attempts (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        serial_given text NOT NULL,
        merchant_id uuid NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('redeemed', 'already-redeemed', 'expired', 'unknown', 'malformed', 'check-failed')),
        coupon_id uuid,
        idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        at timestamptz NOT NULL DEFAULT now(),
        ip inet,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, merchant_id) REFERENCES merchants (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX redemption_attempts_at ON redemption_attempts (tenant_id, at DESC)`);
    // A POS retry with the same key gets the first answer: the key is claimed by the first attempt's row.
    await q.query(`CREATE UNIQUE INDEX redemption_attempts_idempotency ON redemption_attempts (tenant_id, merchant_id, idempotency_key)
      WHERE idempotency_key IS NOT NULL`);

    await q.query(`
      CREATE TABLE coupon_events (
        tenant_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        kind text NOT NULL CHECK (kind IN ('redeemed')),
        coupon_id uuid NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
      )`);
    await q.query(`CREATE INDEX coupon_events_pending ON coupon_events (tenant_id, id) WHERE processed_at IS NULL`);

    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant_isolation ON ${table}
        USING (tenant_id = ringflow_current_tenant()) WITH CHECK (tenant_id = ringflow_current_tenant())`);
    }
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON promotions, merchants TO ringflow_rw`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON coupons, coupon_events TO ringflow_rw`);
    // Attempts are an audit trail: append-only for the apps.
    await q.query(`GRANT SELECT, INSERT ON redemption_attempts TO ringflow_rw`);

    // The tracking worker's one cross-tenant read: which events wait, by ids only (no PII), oldest first.
    await q.query(`
      CREATE FUNCTION ringflow_pending_coupon_events(p_limit integer)
      RETURNS TABLE (tenant_id uuid, id bigint, kind text, coupon_id uuid, at timestamptz)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT e.tenant_id, e.id, e.kind, e.coupon_id, e.at FROM coupon_events e
          WHERE e.processed_at IS NULL ORDER BY e.at, e.id LIMIT least(p_limit, 1000) $$`);
    await q.query(`REVOKE ALL ON FUNCTION ringflow_pending_coupon_events(integer) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ringflow_pending_coupon_events(integer) TO ringflow_rw`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ringflow_pending_coupon_events(integer)`);
    for (const table of [...TENANT_TABLES].reverse()) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
