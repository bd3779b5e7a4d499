import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';

@ObjectType('FlowError', { description: 'One problem in a flow document: where it is and what is wrong' })
export class FlowErrorType {
  @Field(() => String, { nullable: true, description: 'The node at fault; null for the document itself' }) nodeId: string | null;
  @Field({ description: 'The field at fault, as a path (e.g. options.1.next)' }) field: string;
  @Field() message: string;
}

@ObjectType('Flow')
export class FlowType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => GraphQLJSON, { description: 'The draft document being edited (see docs/flows.md)' }) draft: unknown;
  @Field(() => Int, { nullable: true, description: 'The newest published version, if any' }) latestVersion: number | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType('FlowVersion', { description: 'A published version: immutable; calls stay on the version they started with' })
export class FlowVersionType {
  @Field(() => ID) flowId: string;
  @Field(() => Int) version: number;
  @Field(() => GraphQLJSON) document: unknown;
  @Field() publishedAt: Date;
}

@ObjectType('FlowSavePayload', { description: 'Either the saved flow, or every problem found (and nothing saved)' })
export class FlowSavePayload {
  @Field(() => FlowType, { nullable: true }) flow: FlowType | null;
  @Field(() => [FlowErrorType]) errors: FlowErrorType[];
}

@ObjectType('FlowPublishPayload', { description: 'Either the new version, or every problem found (and nothing published)' })
export class FlowPublishPayload {
  @Field(() => FlowVersionType, { nullable: true }) version: FlowVersionType | null;
  @Field(() => [FlowErrorType]) errors: FlowErrorType[];
}

@InputType()
export class BindNumberInput {
  @Field({ description: 'A number of the tenant, E.164 or international format' }) number: string;
  @Field(() => ID, { nullable: true, description: 'The flow that answers it; null unbinds' }) flowId?: string | null;
}
