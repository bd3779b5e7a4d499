import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { isUuid, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { countFunnelFact } from '../tracking/funnel-fact';
import { CouponException } from './coupon.exception';
import { renderCouponSms } from './coupon-sms';
import { formatSerial } from './serial';
import { applyCouponSmsStatus, type CouponSmsStatus, lockMessage, type ReportedSmsStatus } from './coupon-sms-transition';

/** A claimed coupon SMS, ready to send. `to` and `body` hold the phone and the serial: memory only, never logs. */
export interface CouponSmsToSend {
  couponId: string;
  to: string;
  /** The tenant number it is sent from, or null when the tenant has none. */
  from: string | null;
  body: string;
  /** The coupon's serial as every text of it shows it (`7KQ4M-2XD9P-HT3QR`): a message holding it is this coupon's. */
  serialText: string;
  /**
   * Set when an earlier attempt may have reached Twilio without its SID being recorded (the worker died, or the
   * request got no clear answer): when that attempt began. Look for the message since then before sending again.
   */
  unconfirmedSince: Date | null;
}

export type CouponSmsClaim =
  | { kind: 'send'; sms: CouponSmsToSend }
  /** Already accepted by Twilio (or reported failed): never sent again. */
  | { kind: 'done'; status: CouponSmsStatus }
  /** Another run holds the claim and has not finished: try again once the claim runs out. */
  | { kind: 'busy'; retryInMs: number }
  | { kind: 'gone' };

/** How long a claim holds before another run may take over a coupon whose sender died mid-send. */
export const DEFAULT_SMS_CLAIM_MS = 60_000;

/** How long after an unanswered attempt its message is looked for at Twilio (see CouponSmsClaimOptions.settleMs). */
export const DEFAULT_SMS_SETTLE_MS = 10_000;

export interface CouponSmsClaimOptions {
  /** How long a claim holds (DEFAULT_SMS_CLAIM_MS). */
  claimMs?: number;
  /**
   * After an attempt with no clear answer, how long to wait before looking for its message at Twilio, whose
   * Messages list may lag a message it has just accepted. Default 10 s.
   */
  settleMs?: number;
}

/**
 * The SMS worker's side of a coupon SMS: claim (check before act), then record Twilio's message SID, give
 * the claim back for a retry, or report the failure. The sender is the number the coupon's campaign calls
 * from, or else the tenant's first registered number (oldest first).
 */
@Injectable()
export class CouponSmsSendingService {
  constructor(private readonly db: TenantDatabase) {}

  async claim(tenantId: TenantId, couponId: string, options: CouponSmsClaimOptions | number = {}): Promise<CouponSmsClaim> {
    if (!isUuid(couponId)) throw new CouponException('invalid-input', 'couponId must be a UUID', 'couponId');
    const { claimMs = DEFAULT_SMS_CLAIM_MS, settleMs = DEFAULT_SMS_SETTLE_MS } = typeof options === 'number' ? { claimMs: options } : options;
    return this.db.run(tenantId, async (em) => {
      // A claim that ran out while `sending` (a worker that died) is unconfirmed from its start, also for rows
      // claimed before sms_unconfirmed_at existed.
      const [coupon] = await em.query(
        `SELECT c.*, CASE WHEN c.sms_status = 'sending'
                THEN ceil(extract(epoch FROM c.sms_status_at + make_interval(secs => $3 / 1000.0) - now()) * 1000) END AS claim_left_ms,
                coalesce(c.sms_unconfirmed_at, CASE WHEN c.sms_status = 'sending' THEN c.sms_status_at END) AS unconfirmed_since,
                ceil(extract(epoch FROM c.sms_status_at + make_interval(secs => $4 / 1000.0) - now()) * 1000) AS settle_left_ms
           FROM coupons c WHERE c.tenant_id = $1 AND c.id = $2 FOR UPDATE`,
        [tenantId, couponId, claimMs, settleMs],
      );
      if (!coupon) return { kind: 'gone' };
      if (coupon.sms_message_sid || !['pending', 'sending'].includes(coupon.sms_status)) return { kind: 'done', status: coupon.sms_status };
      if (Number(coupon.claim_left_ms) > 0) return { kind: 'busy', retryInMs: Number(coupon.claim_left_ms) };
      const unconfirmedSince: Date | null = coupon.unconfirmed_since ?? null;
      if (unconfirmedSince && Number(coupon.settle_left_ms) > 0) return { kind: 'busy', retryInMs: Number(coupon.settle_left_ms) };
      await em.query(
        `UPDATE coupons SET sms_status = 'sending', sms_status_at = now(), sms_unconfirmed_at = coalesce($3, now()) WHERE tenant_id = $1 AND id = $2`,
        [tenantId, couponId, unconfirmedSince],
      );
      await countFunnelFact(em, tenantId, { metric: 'issued', subjectId: couponId, promotionId: coupon.promotion_id, campaignId: coupon.campaign_id });
      const [promotion] = await em.query(`SELECT name, offer, discount, sms_template FROM promotions WHERE tenant_id = $1 AND id = $2`, [tenantId, coupon.promotion_id]);
      const [tenant] = await em.query(`SELECT time_zone FROM tenants WHERE id = $1`, [tenantId]);
      const body = renderCouponSms(
        { name: promotion.name, offer: promotion.offer, discount: promotion.discount, smsTemplate: promotion.sms_template },
        { serial: coupon.serial, expiresAt: coupon.expires_at },
        tenant?.time_zone ?? 'UTC',
      );
      const from = await this.sender(em, tenantId, coupon.campaign_id);
      return { kind: 'send', sms: { couponId, to: coupon.phone, from, body, serialText: formatSerial(coupon.serial), unconfirmedSince } };
    });
  }

  /** Twilio accepted the message: its SID is recorded (once) with any status Twilio reported before this. */
  async recordSent(tenantId: TenantId, couponId: string, messageSid: string): Promise<boolean> {
    return this.db.run(tenantId, async (em) => {
      await lockMessage(em, tenantId, messageSid);
      const [rows] = await em.query(
        `UPDATE coupons SET sms_message_sid = $3, sms_status = 'sent', sms_status_at = now(), sms_error = NULL, sms_unconfirmed_at = NULL
          WHERE tenant_id = $1 AND id = $2 AND sms_message_sid IS NULL AND sms_status IN ('pending', 'sending')
          RETURNING promotion_id, campaign_id`,
        [tenantId, couponId, messageSid],
      );
      const coupon = rows[0] as { promotion_id: string; campaign_id: string | null } | undefined;
      if (!coupon) return false;
      await countFunnelFact(em, tenantId, { metric: 'sent', subjectId: couponId, promotionId: coupon.promotion_id, campaignId: coupon.campaign_id });
      const [early] = await em.query(`SELECT status, error_code FROM sms_message_statuses WHERE tenant_id = $1 AND message_sid = $2`, [tenantId, messageSid]);
      if (early) await applyCouponSmsStatus(em, tenantId, couponId, early.status as ReportedSmsStatus, early.error_code);
      return true;
    });
  }

  /**
   * The send failed in a way a retry may fix (429, network), or waits for its pace: the claim is given back, the
   * reason kept (null: the last one stays).
   * `refused`: Twilio answered this attempt with a refusal and no earlier attempt is unconfirmed, so no
   * message of this coupon can exist; otherwise the retry looks for one first.
   */
  async release(tenantId: TenantId, couponId: string, reason: string | null, refused = false): Promise<void> {
    await this.db.run(tenantId, (em) =>
      em.query(
        `UPDATE coupons SET sms_status = 'pending', sms_status_at = now(), sms_error = coalesce($3, sms_error),
                sms_unconfirmed_at = CASE WHEN $4 THEN NULL ELSE sms_unconfirmed_at END
          WHERE tenant_id = $1 AND id = $2 AND sms_status = 'sending' AND sms_message_sid IS NULL`,
        [tenantId, couponId, reason, refused],
      ),
    );
  }

  /** The send failed for good: `failed` with the Twilio error code (or Ringflow's reason), counted once. */
  async recordFailed(tenantId: TenantId, couponId: string, errorCode: string): Promise<boolean> {
    return this.db.run(tenantId, (em) => applyCouponSmsStatus(em, tenantId, couponId, 'failed', errorCode));
  }

  private async sender(em: EntityManager, tenantId: TenantId, campaignId: string | null): Promise<string | null> {
    if (campaignId) {
      const [campaign] = await em.query(`SELECT caller_id FROM campaigns WHERE tenant_id = $1 AND id = $2`, [tenantId, campaignId]);
      if (campaign) return campaign.caller_id;
    }
    const [number] = await em.query(`SELECT e164 FROM phone_numbers WHERE tenant_id = $1 ORDER BY created_at, e164 LIMIT 1`, [tenantId]);
    return number?.e164 ?? null;
  }
}
