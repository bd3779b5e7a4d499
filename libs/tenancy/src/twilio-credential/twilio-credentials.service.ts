import { Inject, Injectable } from '@nestjs/common';
import { audit } from '../audit/audit';
import { SecretsCipher } from '../secrets/secrets-cipher';
import { TenantDatabase } from '../tenant/tenant-database';
import type { TenantId } from '../tenant/tenant-id';
import { TenancyException } from '../tenancy.exception';
import { TwilioCredentialEntity } from './twilio-credential.entity';

export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
}

const PURPOSE = 'twilio.authToken';

/** A tenant's Twilio account: the SID is readable, the auth token is write-only outside this service. */
@Injectable()
export class TwilioCredentialsService {
  constructor(
    private readonly db: TenantDatabase,
    @Inject(SecretsCipher) private readonly cipher: SecretsCipher,
  ) {}

  async set(tenantId: TenantId, credentials: TwilioCredentials, actor: string): Promise<TwilioCredentialEntity> {
    if (!/^AC[0-9a-f]{32}$/.test(credentials.accountSid)) {
      throw new TenancyException('invalid-input', 'accountSid must be "AC" followed by 32 lowercase hex characters', 'accountSid');
    }
    if (!/^[0-9a-f]{32}$/.test(credentials.authToken)) {
      throw new TenancyException('invalid-input', 'authToken must be 32 lowercase hex characters', 'authToken');
    }
    const authTokenEncrypted = this.cipher.encrypt(credentials.authToken, { tenantId, purpose: PURPOSE });
    return this.db.run(tenantId, async (em) => {
      await em.query(
        `INSERT INTO twilio_credentials (tenant_id, account_sid, auth_token_encrypted, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (tenant_id) DO UPDATE SET account_sid = EXCLUDED.account_sid,
           auth_token_encrypted = EXCLUDED.auth_token_encrypted, updated_at = now()`,
        [tenantId, credentials.accountSid, authTokenEncrypted],
      );
      await audit(em, tenantId, {
        actor,
        action: 'twilio-credentials.set',
        targetType: 'twilio-credentials',
        details: { accountSid: credentials.accountSid, authToken: 'changed' },
      });
      return em.getRepository(TwilioCredentialEntity).findOneByOrFail({ tenantId });
    });
  }

  /** What an admin may see: the account SID and when it changed, never the token. */
  find(tenantId: TenantId): Promise<TwilioCredentialEntity | null> {
    return this.db.run(tenantId, (em) => em.getRepository(TwilioCredentialEntity).findOneBy({ tenantId }));
  }

  /** For the platform's own calls to Twilio (signatures, REST): the token in clear, in memory only. */
  async reveal(tenantId: TenantId): Promise<TwilioCredentials | undefined> {
    const row = await this.db.run(tenantId, (em) =>
      em.getRepository(TwilioCredentialEntity).findOne({ where: { tenantId }, select: { tenantId: true, accountSid: true, authTokenEncrypted: true } }),
    );
    if (!row) return undefined;
    return { accountSid: row.accountSid, authToken: this.cipher.decrypt(row.authTokenEncrypted, { tenantId, purpose: PURPOSE }) };
  }
}
