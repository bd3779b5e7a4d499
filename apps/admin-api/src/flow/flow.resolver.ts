import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { type FlowError, validateFlow } from '@ringflow/flow';
import { FlowStore, type PublishedFlow } from '@ringflow/flow-store';
import { actorOf, Allow, CurrentPrincipal, type Principal, tenantOf } from '@ringflow/tenancy';
import { BindNumberInput, FlowErrorType, FlowPublishPayload, FlowSavePayload, FlowType, FlowVersionType } from './flow.types';

function toVersion(published: PublishedFlow): FlowVersionType {
  return { flowId: published.flowId, version: published.version, document: published.flow, publishedAt: published.publishedAt };
}

function errorsOf(result: { ok: true } | { ok: false; errors: FlowError[] }): FlowErrorType[] {
  return result.ok ? [] : result.errors.map((e) => ({ nodeId: e.nodeId ?? null, field: e.field, message: e.message }));
}

@Resolver(() => FlowType)
export class FlowResolver {
  constructor(private readonly store: FlowStore) {}

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => [FlowType])
  flows(@CurrentPrincipal() principal: Principal): Promise<FlowType[]> {
    return this.store.list(tenantOf(principal));
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => FlowType)
  flow(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<FlowType> {
    return this.store.get(tenantOf(principal), id);
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => FlowVersionType)
  async flowVersion(
    @Args('flowId', { type: () => ID }) flowId: string,
    @Args('version', { type: () => Int }) version: number,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FlowVersionType> {
    return toVersion(await this.store.getVersion(tenantOf(principal), flowId, version));
  }

  @Allow('admin', 'marketer', 'analyst')
  @Query(() => [FlowErrorType], { description: 'Every problem in a document, without saving it; empty when valid' })
  validateFlow(@Args('document', { type: () => GraphQLJSON }) document: unknown): FlowErrorType[] {
    return errorsOf(validateFlow(document));
  }

  @Allow('admin')
  @Mutation(() => FlowSavePayload)
  async createFlow(@Args('document', { type: () => GraphQLJSON }) document: unknown, @CurrentPrincipal() principal: Principal): Promise<FlowSavePayload> {
    const result = await this.store.create(tenantOf(principal), document, actorOf(principal));
    return { flow: result.ok ? result.value : null, errors: errorsOf(result) };
  }

  @Allow('admin')
  @Mutation(() => FlowSavePayload)
  async updateFlowDraft(
    @Args('id', { type: () => ID }) id: string,
    @Args('document', { type: () => GraphQLJSON }) document: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<FlowSavePayload> {
    const result = await this.store.updateDraft(tenantOf(principal), id, document, actorOf(principal));
    return { flow: result.ok ? result.value : null, errors: errorsOf(result) };
  }

  @Allow('admin')
  @Mutation(() => FlowPublishPayload, { description: 'Publishes the draft as the next immutable version' })
  async publishFlow(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<FlowPublishPayload> {
    const result = await this.store.publish(tenantOf(principal), id, actorOf(principal));
    return { version: result.ok ? toVersion(result.value) : null, errors: errorsOf(result) };
  }

  @Allow('admin')
  @Mutation(() => Boolean, { description: 'Which flow answers one of the tenant’s numbers' })
  async bindNumberToFlow(@Args('input') input: BindNumberInput, @CurrentPrincipal() principal: Principal): Promise<boolean> {
    await this.store.bindNumber(tenantOf(principal), input.number, input.flowId ?? null, actorOf(principal));
    return true;
  }
}
