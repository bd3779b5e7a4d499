import { Injectable } from '@nestjs/common';
import type { FallbackConfig } from '@ringflow/flow';
import { type TenantEntity, TenantsService, TwilioCredentialsService, type TenantId } from '@ringflow/tenancy';
import { defaultFallback } from '../voice/fallback-twiml';
import { Coalesced } from './coalesced';

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
/** In its last 10 s, a hit also reloads the settings in the background: busy tenants never wait for a miss. */
const REFRESH_AHEAD_MS = 10_000;
const MAX_ENTRIES = 10_000;

/**
 * A tenant's voice settings, kept in memory for a minute so the steps of a call cost no Postgres
 * query; a rotated auth token is picked up within that minute. The token stays in this process only.
 * A used entry is reloaded in the background during its last 10 s, so a tenant with calls going on never has all its
 * webhooks in flight wait for Postgres when the minute ends (they did, every minute, each with its own two queries).
 */
@Injectable()
export class TenantVoiceSettings {
  private readonly cache = new Map<string, { expires: number; value: VoiceSettings }>();
  /** A burst of a tenant's new calls waits for one load, not one each (each held pool connections). */
  private readonly loads = new Coalesced<string, VoiceSettings | undefined>();

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
    if (hit && hit.expires > now) {
      // A failed reload keeps the entry until it expires; the next miss reports the fault.
      if (hit.expires - now <= REFRESH_AHEAD_MS) this.loads.run(tenantId, () => this.load(tenantId, now)).catch(() => undefined);
      return hit.value;
    }
    return this.loads.run(tenantId, () => this.load(tenantId, now));
  }

  private async load(tenantId: TenantId, now: number): Promise<VoiceSettings | undefined> {
    const credentials = await this.credentials.reveal(tenantId);
    if (!credentials) {
      this.cache.delete(tenantId);
      return undefined;
    }
    const tenant = await this.tenants.get(tenantId);
    const value = { accountSid: credentials.accountSid, authToken: credentials.authToken, timeZone: tenant.timeZone, fallback: tenantFallback(tenant) };
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(tenantId, { expires: now + TTL_MS, value });
    return value;
  }
}
