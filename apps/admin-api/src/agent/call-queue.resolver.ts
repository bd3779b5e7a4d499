import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CallQueuesService } from '@ringflow/pull-queue';
import { actorOf, Allow, CurrentPrincipal, type Principal, TenantDatabase, tenantOf } from '@ringflow/tenancy';
import { CallQueueType, CreateCallQueueInput, UpdateCallQueueInput } from './call-queue.types';

@Resolver(() => CallQueueType)
export class CallQueueResolver {
  private readonly queues: CallQueuesService;

  // The service needs only TenantDatabase; built here until the admin module provides PullQueueModule.
  constructor(db: TenantDatabase) {
    this.queues = new CallQueuesService(db);
  }

  @Allow('admin', 'analyst')
  @Query(() => [CallQueueType])
  callQueues(@CurrentPrincipal() principal: Principal): Promise<CallQueueType[]> {
    return this.queues.list(tenantOf(principal));
  }

  @Allow('admin')
  @Mutation(() => CallQueueType)
  createCallQueue(@Args('input') input: CreateCallQueueInput, @CurrentPrincipal() principal: Principal): Promise<CallQueueType> {
    return this.queues.create(tenantOf(principal), input, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => CallQueueType)
  updateCallQueue(
    @Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateCallQueueInput, @CurrentPrincipal() principal: Principal,
  ): Promise<CallQueueType> {
    return this.queues.update(tenantOf(principal), id, input, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => CallQueueType, { description: 'Removes the queue; callers of flows that name it wait with no agent notified' })
  removeCallQueue(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<CallQueueType> {
    return this.queues.remove(tenantOf(principal), id, actorOf(principal));
  }
}
