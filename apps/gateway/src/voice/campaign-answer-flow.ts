import { Injectable } from '@nestjs/common';
import { campaignCallRefOf, CampaignsService } from '@ringflow/campaign';
import type { TenantId } from '@ringflow/tenancy';

/** The flow version a campaign call is answered with. */
export interface CampaignFlowRef {
  flowId: string;
  version: number;
}

/**
 * A flow campaign's call runs the campaign's own published flow version, named by the answer URL's ids
 * (`?tenantId=..&campaignId=..&attemptId=..`, signed with the URL). Anything else (no ids, another tenant's,
 * a URL campaign, a campaign since deleted) answers with the caller id's flow, as any outbound call.
 */
@Injectable()
export class CampaignAnswerFlow {
  constructor(private readonly campaigns: CampaignsService) {}

  async of(tenantId: TenantId, query: unknown): Promise<CampaignFlowRef | undefined> {
    const ref = campaignCallRefOf((query ?? {}) as Record<string, string | undefined>);
    if (!ref || ref.tenantId.toLowerCase() !== tenantId) return undefined;
    const campaign = await this.campaigns.get(tenantId, ref.campaignId).catch(() => undefined);
    return campaign?.answer.kind === 'flow' ? { flowId: campaign.answer.flowId, version: campaign.answer.flowVersion } : undefined;
  }
}
