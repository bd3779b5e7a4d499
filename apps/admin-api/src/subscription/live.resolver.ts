import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { CampaignListingService } from '@ringflow/campaign';
import { CallSessionStore } from '@ringflow/session';
import { Allow, ApiKeyAuthenticator, CurrentPrincipal, type Principal, tenantOf } from '@ringflow/tenancy';
import { campaignTypeOf } from '../campaign/campaign-mapping';
import { CampaignType } from '../campaign/campaign.types';
import { activeCallOf } from './active-call-mapping';
import { ActiveCallType } from './active-call.types';
import { withKeyRecheck } from './key-recheck';
import { pollingFeed } from './polling-feed';

/** The context's request of a graphql-ws operation (see subscription-server.ts). */
interface LiveRequest {
  headers: { authorization?: string };
}

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
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  /** The feed of `read`: its answer now, then its changes, for as long as the key stays valid. */
  private async feed<T>(req: LiveRequest, read: () => Promise<T>) {
    return pollingFeed(await read(), withKeyRecheck(this.authenticator, req.headers.authorization, read));
  }

  @Allow('admin', 'marketer', 'analyst')
  @Subscription(() => CampaignType, { description: 'The campaign now, and again whenever its status or progress changes' })
  campaignProgress(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal, @Context('req') req: LiveRequest) {
    const tenantId = tenantOf(principal);
    return this.feed(req, async () => ({ campaignProgress: campaignTypeOf(await this.campaignListing.get(tenantId, id)) }));
  }

  @Allow('admin', 'marketer', 'analyst')
  @Subscription(() => [ActiveCallType], { description: `The tenant's calls in progress (oldest first, at most ${ACTIVE_CALLS_SHOWN}), now and whenever they change` })
  activeCalls(@CurrentPrincipal() principal: Principal, @Context('req') req: LiveRequest) {
    const tenantId = tenantOf(principal);
    return this.feed(req, async () => ({ activeCalls: (await this.sessions.listActive(tenantId, ACTIVE_CALLS_SHOWN)).map((s) => activeCallOf(principal, s)) }));
  }
}
