import { Injectable } from '@nestjs/common';
import { isUuid, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { type Page, type PageRequest, pageOf, pageSize } from '../paging/keyset-page';
import { CampaignException, CampaignExceptionCode } from './campaign.exception';
import { CAMPAIGN_COLUMNS, campaignFromRow } from './campaign-row';
import type { Campaign } from './campaign-settings';
import type { CampaignStatus } from './campaign-status';
import type { CampaignProgress } from './campaigns.service';

export type CampaignWithProgress = Campaign & { progress: CampaignProgress; createdAt: Date };

const STATUSES: readonly CampaignStatus[] = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'];

/** The page's campaigns, each with its audience counted by state and disposition: one statement for the page. */
const PAGE_SQL = `
  SELECT c.*, s.stats FROM (
    SELECT ${CAMPAIGN_COLUMNS}, created_at FROM campaigns
     WHERE tenant_id = $1
       AND ($2::text IS NULL OR (created_at, id) < (SELECT created_at, id FROM campaigns WHERE tenant_id = $1 AND id::text = $2))
       AND ($3::text IS NULL OR status = $3)
       AND ($4::text IS NULL OR id::text = $4)
     ORDER BY created_at DESC, id DESC LIMIT $5
  ) c
  LEFT JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object('state', g.state, 'disposition', g.disposition, 'n', g.n)) AS stats
      FROM (SELECT state, disposition, count(*)::int AS n FROM campaign_contacts cc
             WHERE cc.tenant_id = $1 AND cc.campaign_id = c.id GROUP BY state, disposition) g
  ) s ON true
  ORDER BY c.created_at DESC, c.id DESC`;

function withProgress(row: Record<string, any>): CampaignWithProgress {
  const campaign = campaignFromRow(row);
  const progress: CampaignProgress = { status: campaign.status, contacts: 0, states: {}, dispositions: {} };
  for (const group of (row.stats ?? []) as Array<{ state: string; disposition: string | null; n: number }>) {
    progress.contacts += group.n;
    progress.states[group.state] = (progress.states[group.state] ?? 0) + group.n;
    if (group.disposition) progress.dispositions[group.disposition] = (progress.dispositions[group.disposition] ?? 0) + group.n;
  }
  return { ...campaign, progress, createdAt: row.created_at };
}

/** Campaigns with their live progress, for reading: a page (newest first) or one. */
@Injectable()
export class CampaignListingService {
  constructor(private readonly db: TenantDatabase) {}

  async page(tenantId: TenantId, request: PageRequest & { status?: CampaignStatus | null }): Promise<Page<CampaignWithProgress>> {
    const size = pageSize(request);
    if (request.status && !STATUSES.includes(request.status)) {
      throw new CampaignException(CampaignExceptionCode.InvalidInput, `status must be one of ${STATUSES.join(', ')}`, 'status');
    }
    const rows = await this.db.run(tenantId, (em) => em.query(PAGE_SQL, [tenantId, request.after ?? null, request.status ?? null, null, size + 1]));
    return pageOf(rows.map(withProgress), size);
  }

  async get(tenantId: TenantId, campaignId: string): Promise<CampaignWithProgress> {
    const notFound = new CampaignException(CampaignExceptionCode.NotFound, `campaign ${campaignId} not found`, 'campaignId');
    if (!isUuid(campaignId)) throw notFound;
    const [row] = await this.db.run(tenantId, (em) => em.query(PAGE_SQL, [tenantId, null, null, campaignId.toLowerCase(), 1]));
    if (!row) throw notFound;
    return withProgress(row);
  }
}
