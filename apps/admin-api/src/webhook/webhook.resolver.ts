import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { WebhookDeliveriesService, WebhookEndpointsService } from '@ringflow/campaign';
import { actorOf, Allow, CurrentPrincipal, type Principal, tenantOf } from '@ringflow/tenancy';
import { connectionOf, PageArgs, pageInMemory, pageRequest } from '../graphql/connection';
import {
  CreatedWebhookEndpoint, CreateWebhookEndpointInput, WebhookDeliveryConnection, WebhookDeliveryStatusValue, WebhookDeliveryType, WebhookEndpointConnection,
  WebhookEndpointType,
} from './webhook.types';

/** The delivery service keeps the newest 1000 per listing; pages are cut from those. */
const DELIVERIES_KEPT_IN_VIEW = 1000;

@Resolver(() => WebhookEndpointType)
export class WebhookResolver {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Allow('admin', 'analyst')
  @Query(() => WebhookEndpointConnection, { description: 'Oldest first' })
  async webhookEndpoints(@Args() page: PageArgs, @CurrentPrincipal() principal: Principal): Promise<WebhookEndpointConnection> {
    const all = await this.endpoints.list(tenantOf(principal));
    return connectionOf(pageInMemory(all, pageRequest(page), (e) => e.id), (e) => e.id);
  }

  @Allow('admin')
  @Mutation(() => CreatedWebhookEndpoint)
  async createWebhookEndpoint(@Args('input') input: CreateWebhookEndpointInput, @CurrentPrincipal() principal: Principal): Promise<CreatedWebhookEndpoint> {
    const { secret, ...endpoint } = await this.endpoints.create(tenantOf(principal), input, actorOf(principal));
    return { endpoint, secret };
  }

  @Allow('admin')
  @Mutation(() => WebhookEndpointType, { description: 'A disabled endpoint gets no new deliveries' })
  setWebhookEndpointEnabled(
    @Args('id', { type: () => ID }) id: string, @Args('enabled') enabled: boolean, @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookEndpointType> {
    return this.endpoints.setEnabled(tenantOf(principal), id, enabled, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => Boolean, { description: 'Removes the endpoint and its delivery history' })
  async removeWebhookEndpoint(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<boolean> {
    await this.endpoints.remove(tenantOf(principal), id, actorOf(principal));
    return true;
  }

  @Allow('admin', 'analyst')
  @Query(() => WebhookDeliveryConnection, { description: 'Newest first (within the newest 1000)' })
  async webhookDeliveries(
    @Args() page: PageArgs,
    @Args('status', { type: () => WebhookDeliveryStatusValue, nullable: true }) status: WebhookDeliveryStatusValue | null,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookDeliveryConnection> {
    const all = await this.deliveries.list(tenantOf(principal), { status: status ?? undefined, limit: DELIVERIES_KEPT_IN_VIEW });
    return connectionOf(pageInMemory(all, pageRequest(page), (d) => d.id), (d) => d.id);
  }

  @Allow('admin')
  @Mutation(() => WebhookDeliveryType, { description: 'Sends a DEAD delivery again with a fresh set of tries' })
  replayWebhookDelivery(@Args('id', { type: () => ID }) id: string, @CurrentPrincipal() principal: Principal): Promise<WebhookDeliveryType> {
    return this.deliveries.replay(tenantOf(principal), id, actorOf(principal));
  }
}
