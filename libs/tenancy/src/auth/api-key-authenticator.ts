import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiKeyRevocations } from '../api-key/api-key-revocations';
import { ApiKeysService } from '../api-key/api-keys.service';
import { hashApiKey, looksLikeApiKey } from '../api-key/api-key-secret';
import { TenantDatabase } from '../tenant/tenant-database';
import type { TenantId } from '../tenant/tenant-id';
import { TenancyException } from '../tenancy.exception';
import { ROLES, type Principal, type Role } from './role';
import { type VerifiedKey, VerifiedKeyCache } from './verified-key-cache';

export const OPERATOR_API_KEY = Symbol('OPERATOR_API_KEY');

/**
 * Turns an `Authorization: Bearer <key>` header into a principal, or says exactly why not.
 *
 * A key that passed is remembered for a few seconds (VerifiedKeyCache, by its hash), so a busy key is not read from
 * Postgres on every request. A revocation still counts at once: every process hears it (ApiKeyRevocations) and forgets
 * the key, and keys are remembered only while that subscription is live. Expiry is checked against the remembered
 * time on every use. The admin API and the gateway share this path.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);
  private readonly operatorKey: Buffer;
  private readonly verified = new VerifiedKeyCache();
  /** Moves on every revocation or subscription change: a lookup that overlapped one is not remembered. */
  private generation = 0;

  constructor(
    private readonly db: TenantDatabase,
    private readonly apiKeys: ApiKeysService,
    @Inject(OPERATOR_API_KEY) operatorKey: string,
    private readonly revocations: ApiKeyRevocations,
  ) {
    this.operatorKey = Buffer.from(operatorKey);
    revocations.onEvent((event) => {
      this.generation++;
      if (event.kind === 'revoked') this.verified.forgetKey(event.keyId);
      else this.verified.clear();
    });
  }

  private readonly lastRecorded = new Map<string, number>();

  /** last_used_at is written at most once a minute per key and process; a failure to write is not the caller's. */
  private async recordUse(tenantId: TenantId, keyId: string, now: Date): Promise<void> {
    const last = this.lastRecorded.get(keyId) ?? 0;
    if (now.getTime() - last < 60_000) return;
    this.lastRecorded.set(keyId, now.getTime());
    if (this.lastRecorded.size > 10_000) this.lastRecorded.clear();
    await this.apiKeys.touch(tenantId, keyId).catch((error: Error) => this.logger.warn(`could not record key use: ${error.message}`));
  }

  async authenticate(header: string | undefined, now = new Date()): Promise<Principal> {
    if (!header) throw new TenancyException('unauthenticated', 'missing Authorization header (expected "Bearer <api key>")');
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new TenancyException('unauthenticated', 'malformed Authorization header (expected "Bearer <api key>")');
    const key = match[1];

    const presented = Buffer.from(key);
    if (presented.length === this.operatorKey.length && timingSafeEqual(presented, this.operatorKey)) {
      return { kind: 'operator' };
    }
    if (!looksLikeApiKey(key)) throw new TenancyException('unauthenticated', 'unknown API key');

    const hash = hashApiKey(key);
    const cacheKey = hash.toString('base64');
    const live = this.revocations.isLive();
    const verified = (live && this.verified.get(cacheKey, now.getTime())) || (await this.lookUp(hash, cacheKey, now));
    if (verified.expiresAt !== null && verified.expiresAt <= now.getTime()) {
      throw new TenancyException('unauthenticated', `API key expired at ${new Date(verified.expiresAt).toISOString()}`);
    }

    await this.recordUse(verified.tenantId, verified.keyId, now);
    return { kind: 'api-key', tenantId: verified.tenantId, keyId: verified.keyId, role: verified.role };
  }

  private async lookUp(hash: Buffer, cacheKey: string, now: Date): Promise<VerifiedKey> {
    const generation = this.generation;
    const row = await this.db.findApiKeyByHash(hash);
    if (!row) throw new TenancyException('unauthenticated', 'unknown API key');
    if (row.revokedAt) throw new TenancyException('unauthenticated', `API key was revoked at ${row.revokedAt.toISOString()}`);
    if (!(ROLES as readonly string[]).includes(row.role)) throw new TenancyException('unauthenticated', 'API key has an unknown role');
    const verified: VerifiedKey = { tenantId: row.tenantId, keyId: row.id, role: row.role as Role, expiresAt: row.expiresAt?.getTime() ?? null };
    // Not if a revocation (or a lapse of the subscription) came while the row was read: the row may predate it.
    if (generation === this.generation && this.revocations.isLive()) this.verified.set(cacheKey, verified, now.getTime());
    return verified;
  }
}
