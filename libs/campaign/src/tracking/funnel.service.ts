import { Injectable } from '@nestjs/common';
import { isUuid, TenancyException, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { NO_CAMPAIGN } from './funnel-fact';

/** A tenant's coupon funnel. Counts are numbers; revenue is a decimal string ("120.50"). */
export interface FunnelTotals {
  issued: number;
  sent: number;
  delivered: number;
  failed: number;
  redeemed: number;
  revenue: string;
}

export interface FunnelFilter {
  promotionId?: string;
  /** A campaign's id, or `null` for coupons issued outside any campaign (inbound calls). */
  campaignId?: string | null;
}

/** Reads the durable funnel counters (written by the SMS and tracking workers). */
@Injectable()
export class FunnelService {
  constructor(private readonly db: TenantDatabase) {}

  async totals(tenantId: TenantId, filter: FunnelFilter = {}): Promise<FunnelTotals> {
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    if (filter.promotionId !== undefined) {
      if (!isUuid(filter.promotionId)) throw new TenancyException('invalid-input', 'promotionId must be a UUID', 'promotionId');
      params.push(filter.promotionId);
      where.push(`promotion_id = $${params.length}`);
    }
    if (filter.campaignId !== undefined) {
      if (filter.campaignId !== null && !isUuid(filter.campaignId)) throw new TenancyException('invalid-input', 'campaignId must be a UUID', 'campaignId');
      params.push(filter.campaignId ?? NO_CAMPAIGN);
      where.push(`campaign_id = $${params.length}`);
    }
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT coalesce(sum(issued), 0) AS issued, coalesce(sum(sent), 0) AS sent, coalesce(sum(delivered), 0) AS delivered,
                coalesce(sum(failed), 0) AS failed, coalesce(sum(redeemed), 0) AS redeemed, coalesce(sum(revenue), 0)::numeric(16, 2) AS revenue
           FROM funnel_counters WHERE ${where.join(' AND ')}`,
        params,
      ),
    );
    return {
      issued: Number(row.issued),
      sent: Number(row.sent),
      delivered: Number(row.delivered),
      failed: Number(row.failed),
      redeemed: Number(row.redeemed),
      revenue: String(row.revenue),
    };
  }
}
