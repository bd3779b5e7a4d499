import type { TenantId } from '@ringflow/tenancy';
import type { CampaignQueues } from './campaign-queues';
import type { Campaign } from './campaign-settings';
import type { CampaignsService } from './campaigns.service';

/**
 * The lifecycle actions a marketer takes, with their effect on the queues: launch and resume start the
 * audience's expansion; schedule queues it for its time; pause and cancel take effect at the next dial,
 * which reads the campaign's status (dials already queued are dropped when they come up).
 */
export class CampaignLauncher {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly queues: CampaignQueues,
  ) {}

  async launch(tenantId: TenantId, campaignId: string, actor: string): Promise<Campaign> {
    const campaign = await this.campaigns.transition(tenantId, campaignId, 'launch', actor);
    await this.queues.enqueueExpansion(tenantId, campaignId, 0);
    return campaign;
  }

  async schedule(tenantId: TenantId, campaignId: string, at: Date, actor: string): Promise<Campaign> {
    const campaign = await this.campaigns.transition(tenantId, campaignId, 'schedule', actor, at);
    await this.queues.enqueueExpansion(tenantId, campaignId, 0, at.getTime() - Date.now());
    return campaign;
  }

  pause(tenantId: TenantId, campaignId: string, actor: string): Promise<Campaign> {
    return this.campaigns.transition(tenantId, campaignId, 'pause', actor);
  }

  /** Running again: the pending audience is expanded anew; dials still queued are not queued twice. */
  async resume(tenantId: TenantId, campaignId: string, actor: string): Promise<Campaign> {
    const campaign = await this.campaigns.transition(tenantId, campaignId, 'resume', actor);
    await this.queues.enqueueExpansion(tenantId, campaignId, 0);
    return campaign;
  }

  cancel(tenantId: TenantId, campaignId: string, actor: string): Promise<Campaign> {
    return this.campaigns.transition(tenantId, campaignId, 'cancel', actor);
  }
}
