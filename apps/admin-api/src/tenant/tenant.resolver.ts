import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { actorOf, Allow, CurrentPrincipal, type Principal, TenantsService, tenantOf } from '@ringflow/tenancy';
import { ApiKeyRole } from '../api-key/api-key.types';
import { CreateTenantInput, MeType, PrincipalKind, TenantType, UpdateTenantInput } from './tenant.types';

@Resolver(() => TenantType)
export class TenantResolver {
  constructor(private readonly tenants: TenantsService) {}

  @Allow('operator')
  @Mutation(() => TenantType, { description: 'Operator only: a new tenant' })
  createTenant(@Args('input') input: CreateTenantInput, @CurrentPrincipal() principal: Principal): Promise<TenantType> {
    return this.tenants.create(input, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => TenantType, { description: "The key's own tenant: profile, fallback and default caller id" })
  updateTenant(@Args('input') input: UpdateTenantInput, @CurrentPrincipal() principal: Principal): Promise<TenantType> {
    return this.tenants.update(tenantOf(principal), input, actorOf(principal));
  }

  @Allow('operator', 'admin', 'marketer', 'analyst')
  @Query(() => MeType)
  async me(@CurrentPrincipal() principal: Principal): Promise<MeType> {
    if (principal.kind === 'operator') return { kind: PrincipalKind.OPERATOR };
    return {
      kind: PrincipalKind.API_KEY,
      role: principal.role as ApiKeyRole,
      apiKeyId: principal.keyId,
      tenant: await this.tenants.get(principal.tenantId),
    };
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => TenantType, { description: "The key's own tenant" })
  tenant(@CurrentPrincipal() principal: Principal): Promise<TenantType> {
    return this.tenants.get(tenantOf(principal));
  }
}
