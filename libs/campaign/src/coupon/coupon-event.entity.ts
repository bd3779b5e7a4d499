import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type CouponEventKind = 'redeemed';

/**
 * Outbox row written in the same transaction as the change it reports; a worker processes each at least
 * once (ringflow_pending_coupon_events lists them across tenants) and sets processed_at.
 */
@Entity('coupon_events')
export class CouponEventEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('text')
  kind: CouponEventKind;

  @Column('uuid', { name: 'coupon_id' })
  couponId: string;

  @Column('timestamptz', { default: () => 'now()' })
  at: Date;

  @Column('timestamptz', { name: 'processed_at', nullable: true })
  processedAt: Date | null;
}
