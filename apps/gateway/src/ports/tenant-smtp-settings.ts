import { Injectable } from '@nestjs/common';
import { type RevealedSmtpSettings, SmtpSettingsService, type TenantId } from '@ringflow/tenancy';

const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * A tenant's SMTP settings, kept in memory for 30 seconds (absent settings too), so the email steps of
 * a busy tenant cost no Postgres query; a change made over the admin API is picked up within that time.
 * The password stays in this process only.
 */
@Injectable()
export class TenantSmtpSettings {
  private readonly cache = new Map<string, { expires: number; value: RevealedSmtpSettings | undefined }>();

  constructor(private readonly settings: SmtpSettingsService) {}

  /** Undefined when the tenant has set no SMTP server. */
  async get(tenantId: TenantId, now = Date.now()): Promise<RevealedSmtpSettings | undefined> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.expires > now) return hit.value;
    const value = await this.settings.reveal(tenantId);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(tenantId, { expires: now + TTL_MS, value });
    return value;
  }

  /** Forgets a tenant's entry, so its next email reads the settings afresh. */
  invalidate(tenantId: TenantId): void {
    this.cache.delete(tenantId);
  }
}
