import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SmsStatus = 'pending' | 'sent' | 'delivered' | 'failed';

/** An issued coupon. `phone` and `serial` are personal or secret: keep them out of logs and job payloads. */
@Entity('coupons')
export class CouponEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'promotion_id' })
  promotionId: string;

  /** Canonical form (15 symbols, no dashes); show it with formatSerial. */
  @Column('text')
  serial: string;

  /** E.164. */
  @Column('text')
  phone: string;

  @Column('text', { name: 'issue_key' })
  issueKey: string;

  @Column('text', { name: 'call_sid', nullable: true })
  callSid: string | null;

  @Column('uuid', { name: 'campaign_id', nullable: true })
  campaignId: string | null;

  @Column('uuid', { name: 'contact_id', nullable: true })
  contactId: string | null;

  @Column('timestamptz', { name: 'issued_at' })
  issuedAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('timestamptz', { name: 'redeemed_at', nullable: true })
  redeemedAt: Date | null;

  @Column('uuid', { name: 'redeemed_by_merchant_id', nullable: true })
  redeemedByMerchantId: string | null;

  /** A decimal string with two places ("12.50"), as Postgres numeric comes back. */
  @Column('numeric', { name: 'order_amount', precision: 12, scale: 2, nullable: true })
  orderAmount: string | null;

  @Column('text', { name: 'sms_status' })
  smsStatus: SmsStatus;

  @Column('text', { name: 'sms_message_sid', nullable: true })
  smsMessageSid: string | null;

  @Column('timestamptz', { name: 'sms_status_at', nullable: true })
  smsStatusAt: Date | null;

  @Column('text', { name: 'sms_error', nullable: true })
  smsError: string | null;
}
