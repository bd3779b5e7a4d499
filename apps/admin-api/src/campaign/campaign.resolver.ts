import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CampaignLauncher, CampaignListingService, CampaignsService, SmsCampaignsService } from '@ringflow/campaign';
import { actorOf, Allow, CurrentPrincipal, type Principal, type TenantId, tenantOf } from '@ringflow/tenancy';
import { connectionOf, PageArgs, pageRequest } from '../graphql/connection';
import { campaignCommandOf, campaignTypeOf } from './campaign-mapping';
import { CampaignConnection, CampaignStatusValue, CampaignType, CreateCampaignInput, CreateSmsCampaignInput, SmsCampaignType } from './campaign.types';

@Resolver(() => CampaignType)
export class CampaignResolver {
  constructor(
    private readonly campaignsService: CampaignsService,
    private readonly launcher: CampaignLauncher,
    private readonly listing: CampaignListingService,
    private readonly smsCampaignsService: SmsCampaignsService,
  ) {}

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => CampaignConnection, { description: 'Newest first, each with its live progress' })
  async campaigns(
    @Args() page: PageArgs,
    @Args('status', { type: () => CampaignStatusValue, nullable: true }) status: CampaignStatusValue | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CampaignConnection> {
    const found = await this.listing.page(tenantOf(principal), { ...pageRequest(page), status });
    return connectionOf(found, (c) => c.id, campaignTypeOf);
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => CampaignType)
  async campaign(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<CampaignType> {
    return campaignTypeOf(await this.listing.get(tenantOf(principal), id));
  }

  @Allow('admin', 'marketer')
  @Mutation(() => CampaignType, { description: 'A DRAFT campaign; nothing is called until it is launched' })
  async createCampaign(@Args('input') input: CreateCampaignInput, @CurrentPrincipal() principal: Principal): Promise<CampaignType> {
    const tenantId = tenantOf(principal);
    const created = await this.campaignsService.create(tenantId, campaignCommandOf(input), actorOf(principal));
    return campaignTypeOf(await this.listing.get(tenantId, created.id));
  }

  @Allow('admin', 'marketer')
  @Mutation(() => CampaignType, { description: 'RUNNING now, or SCHEDULED for `at`; the audience is the list as it is now' })
  async launchCampaign(
    @Args('id', { type: () => ID }) id: string,
    @Args('at', { type: () => Date, nullable: true }) at: Date | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CampaignType> {
    const tenantId = tenantOf(principal);
    await this.listing.get(tenantId, id);
    if (at) await this.launcher.schedule(tenantId, id, at, actorOf(principal));
    else await this.launcher.launch(tenantId, id, actorOf(principal));
    return campaignTypeOf(await this.listing.get(tenantId, id));
  }

  @Allow('admin', 'marketer')
  @Mutation(() => CampaignType, { description: 'No new dials; calls in progress finish' })
  pauseCampaign(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<CampaignType> {
    return this.act(id, principal, (tenantId, actor) => this.launcher.pause(tenantId, id, actor));
  }

  @Allow('admin', 'marketer')
  @Mutation(() => CampaignType)
  resumeCampaign(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<CampaignType> {
    return this.act(id, principal, (tenantId, actor) => this.launcher.resume(tenantId, id, actor));
  }

  @Allow('admin', 'marketer')
  @Mutation(() => CampaignType, { description: 'Contacts not yet called are closed as cancelled' })
  cancelCampaign(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<CampaignType> {
    return this.act(id, principal, (tenantId, actor) => this.launcher.cancel(tenantId, id, actor));
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => SmsCampaignType, { description: 'An SMS campaign with its live progress' })
  smsCampaign(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<SmsCampaignType> {
    return this.smsCampaignsService.get(tenantOf(principal), id);
  }

  @Allow('admin', 'marketer')
  @Mutation(() => SmsCampaignType, { description: 'RUNNING at once: the list as it is now gets the template, paced per sender number' })
  createSmsCampaign(@Args('input') input: CreateSmsCampaignInput, @CurrentPrincipal() principal: Principal): Promise<SmsCampaignType> {
    const { name, listId, senderNumber, template, messagesPerSecond } = input;
    return this.smsCampaignsService.create(tenantOf(principal), { name, listId, senderNumber, template, messagesPerSecond }, actorOf(principal));
  }

  private async act(id: string, principal: Principal, action: (tenantId: TenantId, actor: string) => Promise<unknown>): Promise<CampaignType> {
    const tenantId = tenantOf(principal);
    await this.listing.get(tenantId, id);
    await action(tenantId, actorOf(principal));
    return campaignTypeOf(await this.listing.get(tenantId, id));
  }
}
