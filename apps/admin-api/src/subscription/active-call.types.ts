import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum CallDirectionValue {
  INBOUND = 'inbound',
  OUTBOUND = 'outbound',
}
registerEnumType(CallDirectionValue, { name: 'CallDirection' });

@ObjectType('ActiveCall', { description: 'A call in progress on one of the tenant\'s numbers' })
export class ActiveCallType {
  @Field() callSid: string;
  @Field(() => CallDirectionValue) direction: CallDirectionValue;
  @Field({ description: 'The other party, E.164 (masked for an ANALYST key)' }) caller: string;
  @Field({ description: "The tenant's number the call is on" }) number: string;
  @Field(() => String, { nullable: true, description: 'Null when the call was answered without a flow' }) flowId: string | null;
  @Field(() => Int, { nullable: true }) flowVersion: number | null;
  @Field({ description: 'Waiting in a call queue' }) queued: boolean;
  @Field() startedAt: Date;
}
