import type { EntityManager } from 'typeorm';
import type { TenantId } from '@ringflow/tenancy';
import { countFunnelFact } from '../tracking/funnel-fact';

/**
 * A coupon SMS's status: `pending` (issued), `sending` (claimed by the SMS worker, not yet accepted by
 * Twilio), `sent` (Twilio accepted it: the message SID is recorded), then `delivered` or `failed`.
 * CouponEntity's SmsStatus predates `sending`.
 */
export type CouponSmsStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'failed';

/** The statuses a report (Twilio's answer or callback) can move a coupon to. */
export type ReportedSmsStatus = 'sent' | 'delivered' | 'failed';

/** Statuses only move forward; delivered and failed are final (whichever Twilio reported first). */
export const SMS_STATUS_RANK: Record<CouponSmsStatus, number> = { pending: 0, sending: 1, sent: 2, delivered: 3, failed: 3 };

const RANK_SQL = `CASE sms_status WHEN 'pending' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 ELSE 3 END`;

/**
 * Moves a coupon's SMS forward to `status` in the caller's transaction, and counts the funnel step once
 * (delivered or failed; `sent` is counted where the message SID is recorded). False when it was already there or past it.
 */
export async function applyCouponSmsStatus(
  em: EntityManager,
  tenantId: TenantId,
  couponId: string,
  status: ReportedSmsStatus,
  errorCode: string | null,
): Promise<boolean> {
  const [rows] = await em.query(
    `UPDATE coupons SET sms_status = $3, sms_status_at = now(), sms_error = CASE WHEN $3 = 'failed' THEN $4 ELSE NULL END
      WHERE tenant_id = $1 AND id = $2 AND ${RANK_SQL} < $5
      RETURNING promotion_id, campaign_id`,
    [tenantId, couponId, status, errorCode, SMS_STATUS_RANK[status]],
  );
  const moved = rows[0] as { promotion_id: string; campaign_id: string | null } | undefined;
  if (!moved) return false;
  if (status !== 'sent') {
    await countFunnelFact(em, tenantId, { metric: status, subjectId: couponId, promotionId: moved.promotion_id, campaignId: moved.campaign_id });
  }
  return true;
}

/** Serialises the worker recording a message SID and Twilio's callback for it, so neither misses the other. */
export async function lockMessage(em: EntityManager, tenantId: TenantId, messageSid: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7321))`, [`${tenantId}/${messageSid}`]);
}
