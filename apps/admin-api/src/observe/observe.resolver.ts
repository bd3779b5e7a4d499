import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { CouponSearchService, formatSerial, FunnelService } from '@ringflow/campaign';
import { Allow, CurrentPrincipal, type Principal, tenantOf } from '@ringflow/tenancy';
import { connectionOf, PageArgs, pageRequest } from '../graphql/connection';
import { assertMaySearchByPhone, phoneFor } from '../graphql/personal-data';
import { CallRecordSearch } from './call-record-search';
import { CallRecordConnection, CallRecordFilterInput, CouponConnection, CouponSearchInput, FunnelTotalsType } from './observe.types';

/** What happened: call records, the coupon funnel and issued coupons. */
@Resolver()
export class ObserveResolver {
  constructor(
    private readonly callRecordSearch: CallRecordSearch,
    private readonly funnelService: FunnelService,
    private readonly couponSearch: CouponSearchService,
  ) {}

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => CallRecordConnection, { description: 'Newest first' })
  async callRecords(
    @Args() page: PageArgs,
    @Args('filter', { type: () => CallRecordFilterInput, nullable: true }) filter: CallRecordFilterInput | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CallRecordConnection> {
    if (filter?.number) assertMaySearchByPhone(principal);
    const found = await this.callRecordSearch.page(tenantOf(principal), filter ?? {}, pageRequest(page));
    return connectionOf(found, (r) => r.callSid, (r) => ({ ...r, from: phoneFor(principal, r.from), to: phoneFor(principal, r.to) }));
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => FunnelTotalsType, { description: 'The whole tenant, one promotion, one campaign, or both' })
  funnel(
    @Args('promotionId', { type: () => ID, nullable: true }) promotionId: string | null,
    @Args('campaignId', { type: () => ID, nullable: true }) campaignId: string | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FunnelTotalsType> {
    return this.funnelService.totals(tenantOf(principal), { promotionId: promotionId ?? undefined, campaignId: campaignId ?? undefined });
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => CouponConnection, { description: 'Newest first' })
  async coupons(
    @Args() page: PageArgs,
    @Args('search', { type: () => CouponSearchInput, nullable: true }) search: CouponSearchInput | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CouponConnection> {
    if (search?.phone) assertMaySearchByPhone(principal);
    const found = await this.couponSearch.page(tenantOf(principal), search ?? {}, pageRequest(page));
    return connectionOf(found, (c) => c.id, (c) => ({ ...c, serial: formatSerial(c.serial), phone: phoneFor(principal, c.phone) }));
  }
}
