import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { TenantId } from '@ringflow/tenancy';

/** Every tenant's id, page by page (the sweeper's one cross-tenant read: ringflow_tenant_ids, ids only). */
@Injectable()
export class TenantDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Up to `limit` (at most 1000) tenant ids after `after`, in id order. */
  async page(after: TenantId | null, limit: number): Promise<TenantId[]> {
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM ringflow_tenant_ids($1, $2)', [after, limit]);
    return rows.map((r) => r.id as TenantId);
  }
}
