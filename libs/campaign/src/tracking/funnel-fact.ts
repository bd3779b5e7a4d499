import type { EntityManager } from 'typeorm';
import type { TenantId } from '@ringflow/tenancy';

/** A step of the coupon funnel, counted once per coupon (issued, sent, delivered, failed) or per redemption event. */
export type FunnelMetric = 'issued' | 'sent' | 'delivered' | 'failed' | 'redeemed';

/** Where funnel_counters files a coupon that came from no campaign (an inbound call). */
export const NO_CAMPAIGN = '00000000-0000-0000-0000-000000000000';

const COLUMNS: Record<FunnelMetric, string> = { issued: 'issued', sent: 'sent', delivered: 'delivered', failed: 'failed', redeemed: 'redeemed' };

export interface FunnelFact {
  metric: FunnelMetric;
  /** What is counted once: the coupon id, or the coupon event id for a redemption. */
  subjectId: string;
  promotionId: string;
  campaignId: string | null;
  /** A decimal string ("12.50") added to the revenue with a redemption. */
  revenue?: string | null;
}

/**
 * Counts a fact in the caller's transaction, once: the fact is remembered in funnel_facts and the counter
 * moves only when it was new, so a replayed event or status callback changes nothing. True when counted now.
 */
export async function countFunnelFact(em: EntityManager, tenantId: TenantId, fact: FunnelFact): Promise<boolean> {
  const column = COLUMNS[fact.metric];
  const rows: unknown[] = await em.query(
    `WITH fact AS (
       INSERT INTO funnel_facts (tenant_id, metric, subject_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1
     )
     INSERT INTO funnel_counters AS f (tenant_id, promotion_id, campaign_id, ${column}, revenue)
     SELECT $1, $4, $5, 1, $6 FROM fact
     ON CONFLICT (tenant_id, promotion_id, campaign_id)
       DO UPDATE SET ${column} = f.${column} + 1, revenue = f.revenue + EXCLUDED.revenue, updated_at = now()
     RETURNING 1`,
    [tenantId, fact.metric, fact.subjectId, fact.promotionId, fact.campaignId ?? NO_CAMPAIGN, fact.revenue ?? '0'],
  );
  return rows.length > 0;
}
