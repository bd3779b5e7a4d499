import type { TenantId } from '@ringflow/tenancy';

/**
 * Which merchant a merchant key redeems for, remembered briefly per process so a redemption does not spend a
 * transaction on it. Safe because a binding never moves to another merchant (MerchantKeysService.bind): it can only
 * disappear, with the key (a revoked key is refused by the authenticator at once, remembered or not) or with the merchant (the
 * redemption then fails on the merchant's foreign key; the controller forgets the entry and answers as for an
 * unbound key). Only bound keys are remembered, so a key bound a moment ago works at once.
 */
export class MerchantKeyCache {
  private readonly entries = new Map<string, { merchantId: string; until: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(tenantId: TenantId, apiKeyId: string, now = Date.now()): string | undefined {
    const key = `${tenantId}:${apiKeyId}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.merchantId;
  }

  set(tenantId: TenantId, apiKeyId: string, merchantId: string, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(`${tenantId}:${apiKeyId}`, { merchantId, until: now + this.ttlMs });
  }

  forget(tenantId: TenantId, apiKeyId: string): void {
    this.entries.delete(`${tenantId}:${apiKeyId}`);
  }
}
