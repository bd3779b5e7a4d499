import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { MerchantKeysService, MerchantsService, MerchantUsersService } from '@ringflow/campaign';
import { actorOf, Allow, CurrentPrincipal, type Principal, tenantOf } from '@ringflow/tenancy';
import { connectionOf, PageArgs, pageInMemory, pageRequest } from '../graphql/connection';
import {
  BindMerchantKeyInput, CreateMerchantInput, CreateMerchantUserInput, MerchantConnection, MerchantKeyBindingType, MerchantType, MerchantUserType,
} from './merchant.types';

@Resolver(() => MerchantType)
export class MerchantResolver {
  constructor(
    private readonly merchantsService: MerchantsService,
    private readonly users: MerchantUsersService,
    private readonly keyBindings: MerchantKeysService,
  ) {}

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => MerchantConnection, { description: 'By name' })
  async merchants(@Args() page: PageArgs, @CurrentPrincipal() principal: Principal): Promise<MerchantConnection> {
    const all = await this.merchantsService.list(tenantOf(principal));
    return connectionOf(pageInMemory(all, pageRequest(page), (m) => m.id), (m) => m.id);
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => MerchantType)
  merchant(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<MerchantType> {
    return this.merchantsService.get(tenantOf(principal), id);
  }

  @Allow('admin')
  @Mutation(() => MerchantType)
  createMerchant(@Args('input') input: CreateMerchantInput, @CurrentPrincipal() principal: Principal): Promise<MerchantType> {
    return this.merchantsService.create(tenantOf(principal), input, actorOf(principal));
  }

  @Allow('admin')
  @Query(() => [MerchantUserType], { description: "A merchant's web-page users, by email" })
  async merchantUsers(@Args('merchantId', { type: () => ID }) merchantId: string, @CurrentPrincipal() principal: Principal): Promise<MerchantUserType[]> {
    const tenantId = tenantOf(principal);
    await this.merchantsService.get(tenantId, merchantId);
    return this.users.list(tenantId, merchantId);
  }

  @Allow('admin')
  @Mutation(() => MerchantUserType)
  createMerchantUser(@Args('input') input: CreateMerchantUserInput, @CurrentPrincipal() principal: Principal): Promise<MerchantUserType> {
    return this.users.create(tenantOf(principal), input, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => MerchantKeyBindingType, { description: 'Ties a MERCHANT key to its merchant; a bound key never moves' })
  bindMerchantKey(@Args('input') input: BindMerchantKeyInput, @CurrentPrincipal() principal: Principal): Promise<MerchantKeyBindingType> {
    return this.keyBindings.bind(tenantOf(principal), input, actorOf(principal));
  }
}
