import { CouponEntity } from './coupon.entity';

/** A raw `coupons` row (snake_case, as `RETURNING *` gives it) as the entity. */
export function couponFromRow(row: Record<string, unknown>): CouponEntity {
  return Object.assign(new CouponEntity(), {
    tenantId: row.tenant_id,
    id: row.id,
    promotionId: row.promotion_id,
    serial: row.serial,
    phone: row.phone,
    issueKey: row.issue_key,
    callSid: row.call_sid,
    campaignId: row.campaign_id,
    contactId: row.contact_id,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    redeemedAt: row.redeemed_at,
    redeemedByMerchantId: row.redeemed_by_merchant_id,
    orderAmount: row.order_amount,
    smsStatus: row.sms_status,
    smsMessageSid: row.sms_message_sid,
    smsStatusAt: row.sms_status_at,
    smsError: row.sms_error,
  });
}
