import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionOf } from '../graphql/connection';

export enum WebhookDeliveryStatusValue {
  PENDING = 'pending',
  DELIVERED = 'delivered',
  DEAD = 'dead',
}
registerEnumType(WebhookDeliveryStatusValue, { name: 'WebhookDeliveryStatus', description: 'DEAD: every try failed; replayable' });

@ObjectType('WebhookEndpoint', { description: 'Where the tenant’s events are posted, signed with X-Ringflow-Signature' })
export class WebhookEndpointType {
  @Field(() => ID) id: string;
  @Field() url: string;
  @Field(() => [String], { description: 'Event types, e.g. coupon.redeemed' }) events: string[];
  @Field() enabled: boolean;
  @Field() createdAt: Date;
}

@ObjectType('WebhookEndpointConnection')
export class WebhookEndpointConnection extends ConnectionOf(WebhookEndpointType, 'WebhookEndpoint') {}

@ObjectType('CreatedWebhookEndpoint')
export class CreatedWebhookEndpoint {
  @Field(() => WebhookEndpointType) endpoint: WebhookEndpointType;
  @Field({ description: 'The signing secret, shown this once' }) secret: string;
}

@ObjectType('WebhookDelivery', { description: 'One event for one endpoint, with its tries' })
export class WebhookDeliveryType {
  @Field(() => ID) id: string;
  @Field(() => ID) endpointId: string;
  @Field() eventType: string;
  @Field({ description: 'The event id receivers dedupe on' }) eventKey: string;
  @Field(() => WebhookDeliveryStatusValue) status: string;
  @Field(() => Int) attempts: number;
  @Field(() => Int) replays: number;
  @Field(() => Int, { nullable: true, description: 'HTTP status of the last try' }) lastStatus: number | null;
  @Field(() => String, { nullable: true }) lastError: string | null;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) deliveredAt: Date | null;
}

@ObjectType('WebhookDeliveryConnection')
export class WebhookDeliveryConnection extends ConnectionOf(WebhookDeliveryType, 'WebhookDelivery') {}

@InputType()
export class CreateWebhookEndpointInput {
  @Field({ description: 'http(s); addresses are checked at each delivery' }) url: string;
  @Field(() => [String]) events: string[];
}
