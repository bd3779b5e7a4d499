import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';
import type { CouponEventKind } from './coupon-event.entity';

export interface PendingCouponEvent {
  tenantId: TenantId;
  /** bigint, as text. */
  id: string;
  kind: CouponEventKind;
  couponId: string;
  at: Date;
}

/** The coupon outbox for the tracking worker: list what waits (every tenant), then mark it done per tenant. */
@Injectable()
export class CouponEventsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly db: TenantDatabase,
  ) {}

  /** Unprocessed events of every tenant, oldest first, at most `limit` (capped at 1000). Ids only, no PII. */
  async pending(limit = 100): Promise<PendingCouponEvent[]> {
    const rows = await this.dataSource.query('SELECT * FROM ringflow_pending_coupon_events($1)', [limit]);
    return rows.map((r: Record<string, unknown>) => ({
      tenantId: r.tenant_id as TenantId, id: String(r.id), kind: r.kind as CouponEventKind, couponId: r.coupon_id as string, at: r.at as Date,
    }));
  }

  /** Marks the tenant's events processed; returns how many were still pending. Safe to repeat (at-least-once delivery). */
  async markProcessed(tenantId: TenantId, ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    return this.db.run(tenantId, async (em) => {
      const [, count] = await em.query(
        `UPDATE coupon_events SET processed_at = now() WHERE tenant_id = $1 AND id = ANY($2::bigint[]) AND processed_at IS NULL`,
        [tenantId, ids],
      );
      return count as number;
    });
  }
}
