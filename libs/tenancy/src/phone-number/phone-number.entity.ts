import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('phone_numbers')
export class PhoneNumberEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  e164: string;

  @Column('text', { name: 'friendly_name', nullable: true })
  friendlyName: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
