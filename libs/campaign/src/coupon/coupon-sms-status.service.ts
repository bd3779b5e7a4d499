import { Injectable } from '@nestjs/common';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { CouponException } from './coupon.exception';
import { applyCouponSmsStatus, lockMessage, type ReportedSmsStatus } from './coupon-sms-transition';

/** What Twilio's MessageStatus means for a coupon; the statuses before `sent` change nothing. */
const TWILIO_STATUSES: Record<string, ReportedSmsStatus | null> = {
  accepted: null,
  scheduled: null,
  queued: null,
  sending: null,
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/;

/**
 * What record() did: `applied` (a coupon moved forward), `stale` (its coupon is already at or past it),
 * `remembered` (no coupon has this SID yet: applied when the SMS worker records it), `ignored` (a status
 * before `sent`, or one Ringflow does not track).
 */
export type SmsStatusOutcome = 'applied' | 'stale' | 'remembered' | 'ignored';

/** Delivery statuses of the coupon SMS, from Twilio's message status callbacks. */
@Injectable()
export class SmsStatusService {
  constructor(private readonly db: TenantDatabase) {}

  /**
   * Records a status callback (`POST /twilio/sms/status`: MessageSid, MessageStatus, ErrorCode) for the
   * tenant that owns the sending number. Idempotent and order-proof: a repeated or late callback
   * never moves a coupon backwards nor counts a funnel step twice; throws invalid-input for a malformed SID.
   */
  async record(tenantId: TenantId, messageSid: string, twilioStatus: string, errorCode?: string | null): Promise<SmsStatusOutcome> {
    if (!MESSAGE_SID.test(messageSid)) throw new CouponException('invalid-input', 'messageSid must be a Twilio message SID (SM or MM, then 32 hex digits)', 'messageSid');
    const status = TWILIO_STATUSES[twilioStatus] ?? null;
    if (!status) return 'ignored';
    const code = status === 'failed' ? (errorCode && /^\d{1,10}$/.test(errorCode) ? errorCode : twilioStatus) : null;
    return this.db.run(tenantId, async (em) => {
      await lockMessage(em, tenantId, messageSid);
      await em.query(
        `INSERT INTO sms_message_statuses AS s (tenant_id, message_sid, status, error_code) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, message_sid) DO UPDATE SET status = EXCLUDED.status, error_code = EXCLUDED.error_code, updated_at = now()
          WHERE s.status = 'sent' AND EXCLUDED.status <> 'sent'`,
        [tenantId, messageSid, status, code],
      );
      const [coupon] = await em.query(`SELECT id FROM coupons WHERE tenant_id = $1 AND sms_message_sid = $2`, [tenantId, messageSid]);
      if (!coupon) return 'remembered';
      return (await applyCouponSmsStatus(em, tenantId, coupon.id, status, code)) ? 'applied' : 'stale';
    });
  }
}
