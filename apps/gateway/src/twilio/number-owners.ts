import { Injectable } from '@nestjs/common';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { Coalesced } from './coalesced';

/** How long a number's owner is believed without asking Postgres again. */
export const NUMBER_OWNER_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Which tenant owns a number, for the webhooks that start with a number (a call's first webhook, its status callbacks).
 * Concurrent questions about one number share one query, and an owner found is kept for 5 s: a burst of new calls to one
 * number costs one query instead of one per call (each held a pool connection, and a burst of them waited past the
 * pool's acquire timeout). A number moved to another tenant reaches the new owner within those 5 s (until then its
 * webhooks are checked against the former owner's auth token, so they are refused unless both tenants use the same
 * Twilio account). "No owner" is not kept.
 */
@Injectable()
export class NumberOwners {
  private readonly owners = new Map<string, { expires: number; tenantId: TenantId }>();
  private readonly lookups = new Coalesced<string, TenantId | undefined>();

  constructor(private readonly db: TenantDatabase) {}

  async of(e164: string, now = Date.now()): Promise<TenantId | undefined> {
    const hit = this.owners.get(e164);
    if (hit && hit.expires > now) return hit.tenantId;
    const tenantId = await this.lookups.run(e164, () => this.db.tenantForNumber(e164));
    if (tenantId) {
      if (this.owners.size >= MAX_ENTRIES) this.owners.clear();
      this.owners.set(e164, { expires: Date.now() + NUMBER_OWNER_TTL_MS, tenantId });
    } else {
      this.owners.delete(e164);
    }
    return tenantId;
  }
}
