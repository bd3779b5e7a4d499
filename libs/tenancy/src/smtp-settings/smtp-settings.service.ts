import { Inject, Injectable } from '@nestjs/common';
import { audit } from '../audit/audit';
import { SecretsCipher } from '../secrets/secrets-cipher';
import { TenantDatabase } from '../tenant/tenant-database';
import type { TenantId } from '../tenant/tenant-id';
import { SmtpSettingsEntity } from './smtp-settings.entity';
import { checkSmtpSettings, type SmtpSecurity, type SmtpSettingsInput } from './smtp-settings.input';

/** Settings with the password in clear, for the platform's own SMTP connection; in memory only. */
export interface RevealedSmtpSettings {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  password: string;
  fromAddress: string;
  replyTo: string | null;
  updatedAt: Date;
}

const PURPOSE = 'smtp.password';

/** A tenant's SMTP server for flow email: everything is readable except the password, which is write-only. */
@Injectable()
export class SmtpSettingsService {
  constructor(
    private readonly db: TenantDatabase,
    @Inject(SecretsCipher) private readonly cipher: SecretsCipher,
  ) {}

  async set(tenantId: TenantId, input: SmtpSettingsInput, actor: string): Promise<SmtpSettingsEntity> {
    const s = checkSmtpSettings(input);
    const passwordEncrypted = this.cipher.encrypt(s.password, { tenantId, purpose: PURPOSE });
    return this.db.run(tenantId, async (em) => {
      await em.query(
        `INSERT INTO smtp_settings (tenant_id, host, port, security, username, password_encrypted, from_address, reply_to, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT (tenant_id) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port, security = EXCLUDED.security,
           username = EXCLUDED.username, password_encrypted = EXCLUDED.password_encrypted, from_address = EXCLUDED.from_address,
           reply_to = EXCLUDED.reply_to, updated_at = now()`,
        [tenantId, s.host, s.port, s.security, s.username, passwordEncrypted, s.fromAddress, s.replyTo ?? null],
      );
      await audit(em, tenantId, {
        actor,
        action: 'smtp-settings.set',
        targetType: 'smtp-settings',
        details: { host: s.host, port: s.port, security: s.security, username: s.username, fromAddress: s.fromAddress, replyTo: s.replyTo, password: 'changed' },
      });
      return em.getRepository(SmtpSettingsEntity).findOneByOrFail({ tenantId });
    });
  }

  /** What an admin may see: everything but the password. */
  find(tenantId: TenantId): Promise<SmtpSettingsEntity | null> {
    return this.db.run(tenantId, (em) => em.getRepository(SmtpSettingsEntity).findOneBy({ tenantId }));
  }

  /** Removes the settings; flows' email nodes then take `failed`. True when there was something to remove. */
  async remove(tenantId: TenantId, actor: string): Promise<boolean> {
    return this.db.run(tenantId, async (em) => {
      const deleted = await em.getRepository(SmtpSettingsEntity).delete({ tenantId });
      if (!deleted.affected) return false;
      await audit(em, tenantId, { actor, action: 'smtp-settings.remove', targetType: 'smtp-settings' });
      return true;
    });
  }

  /** For the gateway's SMTP connection: the password in clear, in memory only. */
  async reveal(tenantId: TenantId): Promise<RevealedSmtpSettings | undefined> {
    const row = await this.db.run(tenantId, (em) =>
      em.getRepository(SmtpSettingsEntity).findOne({
        where: { tenantId },
        select: { tenantId: true, host: true, port: true, security: true, username: true, passwordEncrypted: true, fromAddress: true, replyTo: true, updatedAt: true },
      }),
    );
    if (!row) return undefined;
    const { passwordEncrypted, tenantId: _tenant, ...rest } = row;
    return { ...rest, password: this.cipher.decrypt(passwordEncrypted, { tenantId, purpose: PURPOSE }) };
  }
}
