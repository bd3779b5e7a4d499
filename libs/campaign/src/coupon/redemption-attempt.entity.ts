import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { RedemptionOutcome } from './redemption-result';

/** One redemption attempt, whatever its outcome; append-only. */
@Entity('redemption_attempts')
export class RedemptionAttemptEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  /** What the merchant typed, normalised (upper case, no spaces or dashes), cut to 64 characters. */
  @Column('text', { name: 'serial_given' })
  serialGiven: string;

  @Column('uuid', { name: 'merchant_id' })
  merchantId: string;

  @Column('text')
  outcome: RedemptionOutcome;

  @Column('uuid', { name: 'coupon_id', nullable: true })
  couponId: string | null;

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  at: Date;

  @Column('inet', { nullable: true })
  ip: string | null;
}
