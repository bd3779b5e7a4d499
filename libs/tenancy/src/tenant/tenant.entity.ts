import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'time_zone' })
  timeZone: string;

  /** Said when a call cannot go on (a flow fault, a store down); the platform's default when null. */
  @Column('text', { name: 'fallback_message', nullable: true })
  fallbackMessage: string | null;

  /** Where such a call is transferred after the apology; hung up when null. */
  @Column('text', { name: 'fallback_transfer_number', nullable: true })
  fallbackTransferNumber: string | null;

  /** The caller id of outbound calls and bridges when a flow names none. */
  @Column('text', { name: 'default_caller_id', nullable: true })
  defaultCallerId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
