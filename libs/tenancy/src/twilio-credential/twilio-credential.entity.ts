import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('twilio_credentials')
export class TwilioCredentialEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @Column('text', { name: 'account_sid' })
  accountSid: string;

  /** AES-256-GCM sealed; never selected unless the caller asks for it. */
  @Column('text', { name: 'auth_token_encrypted', select: false })
  authTokenEncrypted: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
