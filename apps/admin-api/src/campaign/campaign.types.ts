import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionOf } from '../graphql/connection';

export enum CampaignStatusValue {
  DRAFT = 'draft',
  SCHEDULED = 'scheduled',
  RUNNING = 'running',
  PAUSED = 'paused',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}
registerEnumType(CampaignStatusValue, { name: 'CampaignStatus', description: 'DRAFT -> SCHEDULED -> RUNNING <-> PAUSED -> COMPLETED; CANCELLED from any but the last two' });

export enum MachineHandlingValue {
  HANG_UP = 'hang-up',
  PLAY_FLOW = 'play-flow',
  IGNORE = 'ignore',
}
registerEnumType(MachineHandlingValue, { name: 'MachineHandling', description: 'What a call answered by a machine does' });

@ObjectType('CallingWindow', { description: "Local to each contact's time zone; within 08:00-21:00" })
export class CallingWindowType {
  @Field({ description: 'HH:MM' }) start: string;
  @Field({ description: 'HH:MM' }) end: string;
}

@ObjectType('RetryDelays', { description: 'Seconds before the next attempt after each outcome; null: that outcome is final' })
export class RetryDelaysType {
  @Field(() => Int, { nullable: true }) machine?: number;
  @Field(() => Int, { nullable: true }) busy?: number;
  @Field(() => Int, { nullable: true }) noAnswer?: number;
  @Field(() => Int, { nullable: true }) failed?: number;
  @Field(() => Int, { nullable: true }) unknown?: number;
}

@ObjectType('DispositionCount')
export class DispositionCountType {
  @Field({ description: 'human, machine, busy, no-answer, failed, invalid-number, unknown, opted-out or cancelled' }) disposition: string;
  @Field(() => Int) count: number;
}

@ObjectType('CampaignProgress', { description: 'The audience by state, and finished contacts by disposition' })
export class CampaignProgressType {
  @Field(() => Int) contacts: number;
  @Field(() => Int) pending: number;
  @Field(() => Int) inCall: number;
  @Field(() => Int) done: number;
  @Field(() => [DispositionCountType]) dispositions: DispositionCountType[];
}

@ObjectType('Campaign')
export class CampaignType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => CampaignStatusValue) status: string;
  @Field(() => ID) listId: string;
  @Field({ description: 'E.164 number the calls come from' }) callerId: string;
  @Field(() => ID, { nullable: true }) flowId: string | null;
  @Field(() => Int, { nullable: true }) flowVersion: number | null;
  @Field(() => String, { nullable: true }) answerUrl: string | null;
  @Field(() => CallingWindowType) window: CallingWindowType;
  @Field(() => Int) callsPerSecond: number;
  @Field(() => Int) maxConcurrentCalls: number;
  @Field(() => Int) maxAttempts: number;
  @Field(() => RetryDelaysType) retryDelays: RetryDelaysType;
  @Field(() => MachineHandlingValue) machineHandling: string;
  @Field(() => Date, { nullable: true }) scheduledAt: Date | null;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field() createdAt: Date;
  @Field(() => CampaignProgressType, { description: 'Live: read with the campaign (a page of campaigns costs one statement)' }) progress: CampaignProgressType;
}

@ObjectType('CampaignConnection')
export class CampaignConnection extends ConnectionOf(CampaignType, 'Campaign') {}

@InputType('CallingWindowInput')
export class CallingWindowInput {
  @Field() start: string;
  @Field() end: string;
}

@InputType('RetryDelaysInput')
export class RetryDelaysInput {
  @Field(() => Int, { nullable: true }) machine?: number;
  @Field(() => Int, { nullable: true }) busy?: number;
  @Field(() => Int, { nullable: true }) noAnswer?: number;
  @Field(() => Int, { nullable: true }) failed?: number;
  @Field(() => Int, { nullable: true }) unknown?: number;
}

@InputType()
export class CreateCampaignInput {
  @Field() name: string;
  @Field(() => ID) listId: string;
  @Field({ description: 'One of the tenant’s numbers, international format' }) callerId: string;
  @Field(() => ID, { nullable: true, description: 'With flowVersion; or answerUrl instead' }) flowId?: string;
  @Field(() => Int, { nullable: true }) flowVersion?: number;
  @Field(() => String, { nullable: true, description: 'http(s) URL that answers the calls in TwiML, instead of a flow' }) answerUrl?: string;
  @Field(() => CallingWindowInput, { nullable: true, description: 'Default 08:00-21:00' }) window?: CallingWindowInput;
  @Field(() => Int) callsPerSecond: number;
  @Field(() => Int) maxConcurrentCalls: number;
  @Field(() => Int, { nullable: true, description: '1 to 10, default 1' }) maxAttempts?: number;
  @Field(() => RetryDelaysInput, { nullable: true }) retryDelays?: RetryDelaysInput;
  @Field(() => MachineHandlingValue, { nullable: true, description: 'Default HANG_UP' }) machineHandling?: MachineHandlingValue;
}

@ObjectType('SmsCampaignProgress', { description: 'The messages of an SMS campaign by status' })
export class SmsCampaignProgressType {
  @Field(() => Int) contacts: number;
  @Field(() => Int, { description: 'Not sent yet (queued, or being sent)' }) pending: number;
  @Field(() => Int, { description: 'Accepted by Twilio, no delivery report yet' }) sent: number;
  @Field(() => Int) delivered: number;
  @Field(() => Int, { description: 'Refused by Twilio, or reported undelivered/failed' }) failed: number;
  @Field(() => Int, { description: 'Skipped at send time: the number is on the opt-out list (or texted STOP)' }) optedOut: number;
  @Field(() => Int) cancelled: number;
}

@ObjectType('SmsCampaign')
export class SmsCampaignType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => CampaignStatusValue) status: string;
  @Field(() => ID) listId: string;
  @Field({ description: 'E.164 number the messages come from' }) senderNumber: string;
  @Field({ description: 'Liquid over the contact (name); "Reply STOP to opt out" is appended unless it mentions STOP' }) template: string;
  @Field(() => Int) messagesPerSecond: number;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field() createdAt: Date;
  @Field(() => SmsCampaignProgressType) progress: SmsCampaignProgressType;
}

@InputType()
export class CreateSmsCampaignInput {
  @Field() name: string;
  @Field(() => ID) listId: string;
  @Field({ description: 'One of the tenant’s numbers, international format' }) senderNumber: string;
  @Field({ description: 'Liquid: {{ name }} and {{ attributes.<name> }} of the contact (empty when unknown)' }) template: string;
  @Field(() => Int, { description: '1 to 1000, per sender number across all workers' }) messagesPerSecond: number;
}
