import { Field, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('TwilioCredentials', { description: 'The auth token is write-only: it is never returned' })
export class TwilioCredentialsType {
  @Field() accountSid: string;
  @Field() updatedAt: Date;
}

@InputType()
export class SetTwilioCredentialsInput {
  @Field() accountSid: string;
  @Field() authToken: string;
}
