import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { PromotionListingService, PromotionsService } from '@ringflow/campaign';
import { actorOf, Allow, CurrentPrincipal, type Principal, tenantOf } from '@ringflow/tenancy';
import { connectionOf, PageArgs, pageRequest } from '../graphql/connection';
import { CreatePromotionInput, PromotionConnection, PromotionType } from './promotion.types';

@Resolver(() => PromotionType)
export class PromotionResolver {
  constructor(
    private readonly promotionsService: PromotionsService,
    private readonly listing: PromotionListingService,
  ) {}

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => PromotionConnection, { description: 'Newest first' })
  async promotions(@Args() page: PageArgs, @CurrentPrincipal() principal: Principal): Promise<PromotionConnection> {
    return connectionOf(await this.listing.page(tenantOf(principal), pageRequest(page)), (p) => p.id);
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => PromotionType)
  promotion(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<PromotionType> {
    return this.promotionsService.get(tenantOf(principal), id);
  }

  @Allow('admin', 'marketer')
  @Mutation(() => PromotionType)
  createPromotion(@Args('input') input: CreatePromotionInput, @CurrentPrincipal() principal: Principal): Promise<PromotionType> {
    return this.promotionsService.create(tenantOf(principal), input, actorOf(principal));
  }
}
