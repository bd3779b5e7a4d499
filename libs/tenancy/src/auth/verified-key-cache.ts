import type { TenantId } from '../tenant/tenant-id';
import type { Role } from './role';

/** What the authenticator learnt from a key's row: enough to answer for the key without reading it again. */
export interface VerifiedKey {
  tenantId: TenantId;
  keyId: string;
  role: Role;
  /** Epoch ms, or null for a key that does not expire; checked on every use, cached or not. */
  expiresAt: number | null;
}

/** How long a verified key is remembered per process; also the longest a missed revocation announcement could go unseen. */
export const VERIFIED_KEY_TTL_MS = 5_000;

/**
 * Keys that passed authentication, remembered briefly per process, keyed by the key's SHA-256 (never the key itself).
 * Bounded: when full, the oldest entry makes room.
 */
export class VerifiedKeyCache {
  private readonly entries = new Map<string, { key: VerifiedKey; until: number }>();

  constructor(
    private readonly ttlMs = VERIFIED_KEY_TTL_MS,
    private readonly maxEntries = 10_000,
  ) {}

  get(hash: string, now: number): VerifiedKey | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.key;
  }

  set(hash: string, key: VerifiedKey, now: number): void {
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, { key, until: now + this.ttlMs });
  }

  /** Forgets a key by its id (a revocation names the key, not its hash). */
  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.entries) if (entry.key.keyId === keyId) this.entries.delete(hash);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
