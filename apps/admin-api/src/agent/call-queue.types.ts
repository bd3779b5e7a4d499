import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum VoicemailNotifyMode {
  AGENTS = 'agents',
  NUMBER = 'number',
}
registerEnumType(VoicemailNotifyMode, { name: 'VoicemailNotify', description: 'Who gets the link of a voicemail left in the queue' });

@ObjectType('CallQueue', { description: "A named queue (the flow's queue node names it) and the agents who answer it" })
export class CallQueueType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => VoicemailNotifyMode, { description: 'AGENTS: the agents who were offered the caller; NUMBER: voicemailNumber' }) voicemailNotify: string;
  @Field(() => String, { nullable: true }) voicemailNumber: string | null;
  @Field({ description: 'The hold page tells callers their place in line (in priority order)' }) announcePosition: boolean;
  @Field(() => [ID]) agentIds: string[];
  @Field() createdAt: Date;
}

@InputType()
export class CreateCallQueueInput {
  @Field() name: string;
  @Field(() => VoicemailNotifyMode, { nullable: true }) voicemailNotify?: VoicemailNotifyMode;
  @Field(() => String, { nullable: true }) voicemailNumber?: string;
  @Field(() => Boolean, { nullable: true }) announcePosition?: boolean;
  @Field(() => [ID], { nullable: true }) agentIds?: string[];
}

@InputType()
export class UpdateCallQueueInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => VoicemailNotifyMode, { nullable: true }) voicemailNotify?: VoicemailNotifyMode;
  @Field(() => String, { nullable: true }) voicemailNumber?: string;
  @Field(() => Boolean, { nullable: true }) announcePosition?: boolean;
  @Field(() => [ID], { nullable: true, description: 'Replaces the whole list' }) agentIds?: string[];
}
