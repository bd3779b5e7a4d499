import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('promotions')
export class PromotionEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** What the customer gets, in words ("A free coffee with any breakfast"). */
  @Column('text')
  offer: string;

  /** The discount as shown ("20%", "5 EUR off"). */
  @Column('text')
  discount: string;

  /** Liquid template of the coupon SMS; see renderCouponSms for its variables. */
  @Column('text', { name: 'sms_template' })
  smsTemplate: string;

  @Column('timestamptz', { name: 'valid_from' })
  validFrom: Date;

  @Column('timestamptz', { name: 'valid_until' })
  validUntil: Date;

  /** A coupon expires this many days after issue, or at validUntil when that comes first; null: at validUntil. */
  @Column('integer', { name: 'coupon_lifetime_days', nullable: true })
  couponLifetimeDays: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
