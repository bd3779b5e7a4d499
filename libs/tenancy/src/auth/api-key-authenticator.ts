import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiKeysService } from '../api-key/api-keys.service';
import { hashApiKey, looksLikeApiKey } from '../api-key/api-key-secret';
import { TenantDatabase } from '../tenant/tenant-database';
import type { TenantId } from '../tenant/tenant-id';
import { TenancyException } from '../tenancy.exception';
import { ROLES, type Principal, type Role } from './role';

export const OPERATOR_API_KEY = Symbol('OPERATOR_API_KEY');

/** Turns an `Authorization: Bearer <key>` header into a principal, or says exactly why not. */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);
  private readonly operatorKey: Buffer;

  constructor(
    private readonly db: TenantDatabase,
    private readonly apiKeys: ApiKeysService,
    @Inject(OPERATOR_API_KEY) operatorKey: string,
  ) {
    this.operatorKey = Buffer.from(operatorKey);
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

    const row = await this.db.findApiKeyByHash(hashApiKey(key));
    if (!row) throw new TenancyException('unauthenticated', 'unknown API key');
    if (row.revokedAt) throw new TenancyException('unauthenticated', `API key was revoked at ${row.revokedAt.toISOString()}`);
    if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
      throw new TenancyException('unauthenticated', `API key expired at ${row.expiresAt.toISOString()}`);
    }
    if (!(ROLES as readonly string[]).includes(row.role)) throw new TenancyException('unauthenticated', 'API key has an unknown role');

    await this.recordUse(row.tenantId, row.id, now);
    return { kind: 'api-key', tenantId: row.tenantId, keyId: row.id, role: row.role as Role };
  }
}
