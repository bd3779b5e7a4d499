import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SmtpSecurity } from './smtp-settings.input';

@Entity('smtp_settings')
export class SmtpSettingsEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('text') host: string;

  @Column('integer') port: number;

  @Column('text') security: SmtpSecurity;

  @Column('text') username: string;

  /** AES-256-GCM sealed; never selected unless the caller asks for it. */
  @Column('text', { name: 'password_encrypted', select: false })
  passwordEncrypted: string;

  @Column('text', { name: 'from_address' })
  fromAddress: string;

  @Column('text', { name: 'reply_to', nullable: true })
  replyTo: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
