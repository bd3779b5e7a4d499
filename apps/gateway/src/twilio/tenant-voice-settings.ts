import { Injectable } from '@nestjs/common';
import type { FallbackConfig } from '@ringflow/flow';
import { type TenantEntity, TenantsService, TwilioCredentialsService, type TenantId } from '@ringflow/tenancy';
import { defaultFallback } from '../voice/fallback-twiml';

/** What a webhook needs of its tenant: the Twilio account (to check signatures), time zone and fallback. */
export interface VoiceSettings {
  accountSid: string;
  authToken: string;
  timeZone: string;
  fallback: FallbackConfig;
}

/** The tenant's own apology (and transfer) when set, else the platform's. */
export function tenantFallback(tenant: Pick<TenantEntity, 'fallbackMessage' | 'fallbackTransferNumber'>): FallbackConfig {
  return {
    apology: tenant.fallbackMessage ?? defaultFallback.apology,
    then: tenant.fallbackTransferNumber ? { kind: 'transfer', number: tenant.fallbackTransferNumber } : { kind: 'hangup' },
  };
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

  /** The last settings loaded within the minute, without I/O: for answering when the stores are down. */
  cached(tenantId: TenantId, now = Date.now()): VoiceSettings | undefined {
    const hit = this.cache.get(tenantId);
    return hit && hit.expires > now ? hit.value : undefined;
  }

  /** Undefined when the tenant has no Twilio credentials (then no webhook of it can be trusted). */
  async get(tenantId: TenantId, now = Date.now()): Promise<VoiceSettings | undefined> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.expires > now) return hit.value;
    const credentials = await this.credentials.reveal(tenantId);
    if (!credentials) return undefined;
    const tenant = await this.tenants.get(tenantId);
    const value = { accountSid: credentials.accountSid, authToken: credentials.authToken, timeZone: tenant.timeZone, fallback: tenantFallback(tenant) };
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(tenantId, { expires: now + TTL_MS, value });
    return value;
  }
}
