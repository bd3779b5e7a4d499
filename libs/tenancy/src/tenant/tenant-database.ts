import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { TenantId } from './tenant-id';

/**
 * The one way to touch tenant data: a transaction with `app.tenant_id` set locally, so row-level
 * security sees only that tenant's rows even where a query forgets its own tenant filter.
 */
@Injectable()
export class TenantDatabase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(tenantId: TenantId, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      return work(em);
    });
  }

  /** Which tenant owns a number (E.164); the gateway's first question on a webhook. */
  async tenantForNumber(e164: string): Promise<TenantId | undefined> {
    const [row] = await this.dataSource.query('SELECT ringflow_tenant_for_number($1) AS tenant_id', [e164]);
    return (row?.tenant_id ?? undefined) as TenantId | undefined;
  }

  /** The key row matching a hash, before any tenant is known (see ringflow_find_api_key). */
  async findApiKeyByHash(hash: Buffer): Promise<
    { tenantId: TenantId; id: string; role: string; expiresAt: Date | null; revokedAt: Date | null } | undefined
  > {
    const [row] = await this.dataSource.query('SELECT * FROM ringflow_find_api_key($1)', [hash]);
    if (!row) return undefined;
    return { tenantId: row.tenant_id, id: row.id, role: row.role, expiresAt: row.expires_at, revokedAt: row.revoked_at };
  }
}
