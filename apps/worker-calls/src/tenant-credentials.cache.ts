import type { TelephonyCredentials } from '@ringflow/telephony';
import type { TenantId, TwilioCredentialsService } from '@ringflow/tenancy';

/** Thrown when a tenant dials without Twilio credentials: no call can be placed for it. */
export class MissingCredentialsError extends Error {
  override name = 'MissingCredentialsError';
}

/** Tenants' Twilio credentials, decrypted once a minute per tenant at most, held in memory only. */
export class TenantCredentialsCache {
  private readonly entries = new Map<string, { at: number; creds: Promise<TelephonyCredentials | undefined> }>();

  constructor(
    private readonly source: Pick<TwilioCredentialsService, 'reveal'>,
    private readonly ttlMs = 60_000,
  ) {}

  async get(tenantId: TenantId): Promise<TelephonyCredentials> {
    let entry = this.entries.get(tenantId);
    if (!entry || Date.now() - entry.at > this.ttlMs) {
      entry = { at: Date.now(), creds: this.source.reveal(tenantId) };
      this.entries.set(tenantId, entry);
      entry.creds.catch(() => this.entries.delete(tenantId));
    }
    const creds = await entry.creds;
    if (!creds) throw new MissingCredentialsError(`tenant ${tenantId} has no Twilio credentials`);
    return creds;
  }
}
