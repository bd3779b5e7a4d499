import { isIP } from 'node:net';
import { Injectable } from '@nestjs/common';
import { isUuid, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { promotionFromJson } from '../promotion/promotion-row';
import { CouponException } from './coupon.exception';
import { couponFromRow } from './coupon-row';
import { databaseError } from './database-error';
import type { RedemptionResult } from './redemption-result';
import { RedemptionReplay } from './redemption-replay';
import { parseSerial } from './serial';

export interface RedeemCouponCommand {
  /** As the merchant typed it; parsing forgives case, spaces, dashes, O for 0 and I/L for 1. */
  serial: string;
  merchantId: string;
  /** The order's amount, e.g. "12.50" or 12.5; kept for conversion reports. */
  orderAmount?: string | number | null;
  /** A POS retry with the same key (per merchant) gets the first answer instead of a second attempt. */
  idempotencyKey?: string | null;
  /** The client's address, for the attempt record. */
  ip?: string | null;
}

// Exactly once: only one transaction can move redeemed_at from NULL. The event and the attempt ride on the same statement.
// A miss is classified in the same statement from its snapshot (`seen`) when that snapshot already explains it: no such
// coupon, redeemed or expired before the statement began; the attempt is then recorded here too. Only a coupon the
// snapshot shows live yet the UPDATE missed (redeemed by a transaction that committed while this one waited for the row)
// is left to CLASSIFY_AND_RECORD, a statement of its own, and recorded there. One row comes back: 'redeemed' with the
// coupon's columns and the promotion, or the miss's outcome ('live' meaning: classify again).
const REDEEM = `
  WITH hit AS (
    UPDATE coupons SET redeemed_at = now(), redeemed_by_merchant_id = $3, order_amount = $4
     WHERE tenant_id = $1 AND serial = $2 AND redeemed_at IS NULL AND expires_at > now()
    RETURNING *
  ), event AS (
    INSERT INTO coupon_events (tenant_id, kind, coupon_id) SELECT tenant_id, 'redeemed', id FROM hit
  ), seen AS (
    SELECT c.id, c.redeemed_at, c.expires_at, m.id AS merchant_id, m.name AS merchant_name,
           CASE WHEN c.redeemed_at IS NOT NULL THEN 'already-redeemed' WHEN c.expires_at <= now() THEN 'expired' ELSE 'live' END AS outcome
      FROM coupons c LEFT JOIN merchants m ON m.tenant_id = c.tenant_id AND m.id = c.redeemed_by_merchant_id
     WHERE c.tenant_id = $1 AND c.serial = $2
  ), miss AS (
    SELECT coalesce(seen.outcome, 'unknown') AS outcome, seen.id, seen.redeemed_at, seen.expires_at, seen.merchant_id, seen.merchant_name
      FROM (SELECT 1) one LEFT JOIN seen ON true
     WHERE NOT EXISTS (SELECT 1 FROM hit)
  ), attempt AS (
    INSERT INTO redemption_attempts (tenant_id, serial_given, merchant_id, outcome, coupon_id, idempotency_key, ip)
    SELECT tenant_id, serial, $3::uuid, 'redeemed', id, $5::text, $6::inet FROM hit
    UNION ALL
    SELECT $1::uuid, $2::text, $3::uuid, miss.outcome, miss.id, $5::text, $6::inet FROM miss WHERE miss.outcome <> 'live'
  )
  SELECT 'redeemed' AS outcome, hit.*, to_jsonb(p) AS promotion,
         NULL::timestamptz AS miss_redeemed_at, NULL::timestamptz AS miss_expires_at, NULL::uuid AS miss_merchant_id, NULL::text AS miss_merchant_name
    FROM hit JOIN promotions p ON p.tenant_id = hit.tenant_id AND p.id = hit.promotion_id
  UNION ALL
  SELECT miss.outcome, (NULL::coupons).*, NULL::jsonb, miss.redeemed_at, miss.expires_at, miss.merchant_id, miss.merchant_name FROM miss`;

// A statement of its own, so its snapshot sees a redemption that committed while the UPDATE waited for the row.
// It records the attempt too, except for a coupon it finds live (which the UPDATE should have taken).
const CLASSIFY_AND_RECORD = `
  WITH found AS (
    SELECT c.id, c.redeemed_at, c.expires_at, m.id AS merchant_id, m.name AS merchant_name,
           CASE WHEN c.redeemed_at IS NOT NULL THEN 'already-redeemed' WHEN c.expires_at <= now() THEN 'expired' ELSE 'live' END AS outcome
      FROM coupons c LEFT JOIN merchants m ON m.tenant_id = c.tenant_id AND m.id = c.redeemed_by_merchant_id
     WHERE c.tenant_id = $1 AND c.serial = $2
  ), attempt AS (
    INSERT INTO redemption_attempts (tenant_id, serial_given, merchant_id, outcome, coupon_id, idempotency_key, ip)
    SELECT $1, $2, $3, coalesce(found.outcome, 'unknown'), found.id, $4, $5
      FROM (SELECT 1) one LEFT JOIN found ON true
     WHERE found.outcome IS DISTINCT FROM 'live'
  )
  SELECT coalesce(found.outcome, 'unknown') AS outcome, found.id, found.redeemed_at, found.expires_at, found.merchant_id, found.merchant_name
    FROM (SELECT 1) one LEFT JOIN found ON true`;

// For a serial that never reached the database: malformed or a typo.
const RECORD_UNREAD = `
  INSERT INTO redemption_attempts (tenant_id, serial_given, merchant_id, outcome, idempotency_key, ip) VALUES ($1, $2, $3, $4, $5, $6)`;

interface Attempt {
  tenantId: TenantId;
  serialGiven: string;
  merchantId: string;
  orderAmount: string | null;
  idempotencyKey: string | null;
  ip: string | null;
}

@Injectable()
export class CouponRedeemerService {
  private readonly replay = new RedemptionReplay();

  constructor(private readonly db: TenantDatabase) {}

  /**
   * Redeems a serial for a merchant: exactly one attempt per coupon ever answers `redeemed`. Every attempt is recorded.
   * Usually one round trip: the statement runs alone in its own transaction (TenantDatabase.runStatement). A reused
   * idempotency key is caught by the unique index on the attempt the statement records, which undoes the whole
   * statement (the coupon stays as it was); the answer is then the one that key got first.
   */
  async redeem(tenantId: TenantId, command: RedeemCouponCommand): Promise<RedemptionResult> {
    const attempt = this.checked(tenantId, command);
    try {
      return await this.attempt(attempt);
    } catch (error) {
      const { code, constraint } = databaseError(error);
      if (code === '23503' && constraint?.includes('merchant_id_fkey')) {
        throw new CouponException('merchant-not-found', `merchant ${attempt.merchantId} not found`, 'merchantId');
      }
      // The key was used before (a retry), or raced in from a second connection and lost: the first answer is the answer.
      if (code === '23505' && constraint === 'redemption_attempts_idempotency') {
        const earlier = await this.db.run(tenantId, (em) => this.replay.find(em, attempt));
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  private async attempt(attempt: Attempt): Promise<RedemptionResult> {
    const parsed = parseSerial(attempt.serialGiven);
    if (parsed.kind === 'malformed') {
      await this.recordUnread({ ...attempt, serialGiven: parsed.normalised }, 'malformed');
      return { outcome: 'malformed', reason: parsed.reason, replayed: false };
    }
    if (parsed.kind === 'check-failed') {
      await this.recordUnread({ ...attempt, serialGiven: parsed.normalised }, 'check-failed');
      return { outcome: 'check-failed', replayed: false };
    }
    const { tenantId, merchantId } = attempt;
    const serial = parsed.serial;
    const [first] = await this.db.runStatement(tenantId, REDEEM, [tenantId, serial, merchantId, attempt.orderAmount, attempt.idempotencyKey, attempt.ip]);
    if (first.outcome === 'redeemed') {
      return { outcome: 'redeemed', coupon: couponFromRow(first), promotion: promotionFromJson(first.promotion), replayed: false };
    }
    const found = first.outcome === 'live'
      ? (await this.db.runStatement(tenantId, CLASSIFY_AND_RECORD, [tenantId, serial, merchantId, attempt.idempotencyKey, attempt.ip]))[0]
      : {
          outcome: first.outcome, redeemed_at: first.miss_redeemed_at, expires_at: first.miss_expires_at,
          merchant_id: first.miss_merchant_id, merchant_name: first.miss_merchant_name,
        };
    switch (found.outcome) {
      case 'unknown':
        return { outcome: 'unknown', replayed: false };
      case 'already-redeemed':
        return { outcome: 'already-redeemed', at: found.redeemed_at, merchant: { id: found.merchant_id, name: found.merchant_name }, replayed: false };
      case 'expired':
        return { outcome: 'expired', expiredAt: found.expires_at, replayed: false };
      default:
        throw new Error(`coupon ${found.id} is neither redeemed nor expired, yet the conditional update missed it`);
    }
  }

  private async recordUnread(attempt: Attempt, outcome: 'malformed' | 'check-failed'): Promise<void> {
    await this.db.runStatement(attempt.tenantId, RECORD_UNREAD, [attempt.tenantId, attempt.serialGiven, attempt.merchantId, outcome, attempt.idempotencyKey, attempt.ip]);
  }

  private checked(tenantId: TenantId, command: RedeemCouponCommand): Attempt {
    if (typeof command.serial !== 'string') throw new CouponException('malformed', 'serial must be text', 'serial');
    if (!isUuid(command.merchantId)) throw new CouponException('invalid-input', 'merchantId must be a UUID', 'merchantId');
    const key = command.idempotencyKey ?? null;
    if (key !== null && (key.length < 1 || key.length > 200)) {
      throw new CouponException('invalid-input', 'idempotencyKey must be 1 to 200 characters', 'idempotencyKey');
    }
    if (key !== null && key.includes('\0')) throw new CouponException('invalid-input', 'idempotencyKey must not contain a NUL character', 'idempotencyKey');
    const ip = command.ip ?? null;
    if (ip !== null && !isIP(ip)) throw new CouponException('invalid-input', 'ip must be an IPv4 or IPv6 address', 'ip');
    return {
      tenantId,
      // Cut before parsing, so a pasted novel is stored (and answered) as malformed without growing the audit table.
      serialGiven: command.serial.slice(0, 64),
      merchantId: command.merchantId.toLowerCase(),
      orderAmount: orderAmount(command.orderAmount),
      idempotencyKey: key,
      ip,
    };
  }
}

function orderAmount(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(text)) {
    throw new CouponException('invalid-input', 'orderAmount must be a non-negative amount with at most two decimals, e.g. 12.50', 'orderAmount');
  }
  return text;
}
