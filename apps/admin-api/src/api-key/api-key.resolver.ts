import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { actorOf, Allow, ApiKeysService, CurrentPrincipal, type Principal, tenantOf } from '@ringflow/tenancy';
import { ApiKeyType, CreateApiKeyInput, CreatedApiKeyType } from './api-key.types';

@Resolver(() => ApiKeyType)
export class ApiKeyResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @Allow('admin')
  @Query(() => [ApiKeyType])
  apiKeys(@CurrentPrincipal() principal: Principal): Promise<ApiKeyType[]> {
    return this.keys.list(tenantOf(principal));
  }

  @Allow('operator', 'admin')
  @Mutation(() => CreatedApiKeyType)
  createApiKey(@Args('input') input: CreateApiKeyInput, @CurrentPrincipal() principal: Principal): Promise<CreatedApiKeyType> {
    const { tenantId, ...command } = input;
    return this.keys.create(tenantOf(principal, tenantId), command, actorOf(principal)).then(({ apiKey, secret }) => ({ apiKey, secret }));
  }

  @Allow('admin')
  @Mutation(() => ApiKeyType)
  revokeApiKey(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<ApiKeyType> {
    return this.keys.revoke(tenantOf(principal), id, actorOf(principal));
  }
}
