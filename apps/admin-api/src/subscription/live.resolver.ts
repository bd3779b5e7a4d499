import { Args, ID, Resolver, Subscription } from '@nestjs/graphql';
import { CampaignListingService } from '@ringflow/campaign';
import { CallSessionStore } from '@ringflow/session';
import { Allow, CurrentPrincipal, type Principal, tenantOf } from '@ringflow/tenancy';
import { campaignTypeOf } from '../campaign/campaign-mapping';
import { CampaignType } from '../campaign/campaign.types';
import { activeCallOf } from './active-call-mapping';
import { ActiveCallType } from './active-call.types';
import { pollingFeed } from './polling-feed';

/** The most calls one activeCalls event lists (oldest first). */
export const ACTIVE_CALLS_SHOWN = 500;

/**
 * Live views over graphql-ws. Each answers the current state at once, then again whenever it changes
 * (read every second). Field names are the payload keys, so the events need no resolve function.
 */
@Resolver()
export class LiveResolver {
  constructor(
    private readonly campaignListing: CampaignListingService,
    private readonly sessions: CallSessionStore,
  ) {}

  @Allow('admin', 'marketer', 'analyst')
  @Subscription(() => CampaignType, { description: 'The campaign now, and again whenever its status or progress changes' })
  async campaignProgress(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal) {
    const tenantId = tenantOf(principal);
    const read = async () => ({ campaignProgress: campaignTypeOf(await this.campaignListing.get(tenantId, id)) });
    return pollingFeed(await read(), read);
  }

  @Allow('admin', 'marketer', 'analyst')
  @Subscription(() => [ActiveCallType], { description: `The tenant's calls in progress (oldest first, at most ${ACTIVE_CALLS_SHOWN}), now and whenever they change` })
  async activeCalls(@CurrentPrincipal() principal: Principal) {
    const tenantId = tenantOf(principal);
    const read = async () => ({ activeCalls: (await this.sessions.listActive(tenantId, ACTIVE_CALLS_SHOWN)).map((s) => activeCallOf(principal, s)) });
    return pollingFeed(await read(), read);
  }
}
