import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AgentsService, QueueVoicemailsService } from '@ringflow/pull-queue';
import { actorOf, Allow, CurrentPrincipal, type Principal, TenantDatabase, tenantOf } from '@ringflow/tenancy';
import { AgentType, CreateAgentInput, QueueVoicemailType, UpdateAgentInput } from './agent.types';

@Resolver(() => AgentType)
export class AgentResolver {
  private readonly agentsService: AgentsService;
  private readonly voicemails: QueueVoicemailsService;

  // The services need only TenantDatabase; built here until the admin module provides PullQueueModule.
  constructor(db: TenantDatabase) {
    this.agentsService = new AgentsService(db);
    this.voicemails = new QueueVoicemailsService(db);
  }

  @Allow('admin', 'analyst')
  @Query(() => [AgentType])
  agents(@CurrentPrincipal() principal: Principal): Promise<AgentType[]> {
    return this.agentsService.list(tenantOf(principal));
  }

  @Allow('admin')
  @Mutation(() => AgentType)
  createAgent(@Args('input') input: CreateAgentInput, @CurrentPrincipal() principal: Principal): Promise<AgentType> {
    return this.agentsService.create(tenantOf(principal), input, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => AgentType)
  updateAgent(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateAgentInput, @CurrentPrincipal() principal: Principal): Promise<AgentType> {
    return this.agentsService.update(tenantOf(principal), id, input, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => AgentType, { description: 'Removes the agent from every queue; returns what was removed' })
  removeAgent(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<AgentType> {
    return this.agentsService.remove(tenantOf(principal), id, actorOf(principal));
  }

  @Allow('admin', 'analyst')
  @Query(() => [QueueVoicemailType], { description: 'Newest first' })
  queueVoicemails(
    @CurrentPrincipal() principal: Principal, @Args('limit', { type: () => Int, nullable: true, defaultValue: 100 }) limit: number,
  ): Promise<QueueVoicemailType[]> {
    return this.voicemails.list(tenantOf(principal), limit);
  }
}
