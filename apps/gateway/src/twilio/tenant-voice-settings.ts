import { Injectable } from '@nestjs/common';
import { TenantsService, TwilioCredentialsService, type TenantId } from '@ringflow/tenancy';

/** What a webhook needs of its tenant: the Twilio account (to check signatures) and the tenant's time zone. */
export interface VoiceSettings {
  accountSid: string;
  authToken: string;
  timeZone: string;
}

const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * A tenant's voice settings, kept in memory for a minute so the steps of a call cost no Postgres
 * query; a rotated auth token is picked up within that minute. The token stays in this process only.
 */
@Injectable()
export class TenantVoiceSettings {
  private readonly cache = new Map<string, { expires: number; value: VoiceSettings }>();

  constructor(
    private readonly credentials: TwilioCredentialsService,
    private readonly tenants: TenantsService,
  ) {}

  /** Undefined when the tenant has no Twilio credentials (then no webhook of it can be trusted). */
  async get(tenantId: TenantId, now = Date.now()): Promise<VoiceSettings | undefined> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.expires > now) return hit.value;
    const credentials = await this.credentials.reveal(tenantId);
    if (!credentials) return undefined;
    const tenant = await this.tenants.get(tenantId);
    const value = { accountSid: credentials.accountSid, authToken: credentials.authToken, timeZone: tenant.timeZone };
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(tenantId, { expires: now + TTL_MS, value });
    return value;
  }
}
