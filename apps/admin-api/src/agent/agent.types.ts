import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Agent', { description: 'Someone who takes queued callers from their own phone by SMS (YES/NO, AWAY/BACK)' })
export class AgentType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'E.164; notices go here and replies from it are this agent\'s' }) phone: string;
  @Field({ description: 'False after the agent texted AWAY (or an admin set it): no notices' }) available: boolean;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class CreateAgentInput {
  @Field() name: string;
  @Field({ description: 'International format, normalised to E.164' }) phone: string;
  @Field(() => Boolean, { nullable: true, defaultValue: true }) available?: boolean;
}

@InputType()
export class UpdateAgentInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) phone?: string;
  @Field(() => Boolean, { nullable: true }) available?: boolean;
}

@ObjectType('QueueVoicemail', { description: 'A message a queued caller left when nobody took the call' })
export class QueueVoicemailType {
  @Field(() => ID) id: string;
  @Field() callSid: string;
  @Field() queueName: string;
  @Field({ description: 'The caller, E.164' }) caller: string;
  @Field() recordingUrl: string;
  @Field(() => Int) durationSeconds: number;
  @Field() createdAt: Date;
}
