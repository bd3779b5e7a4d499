import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType('PhoneNumber')
export class PhoneNumberType {
  @Field(() => ID) id: string;
  @Field({ description: 'E.164' }) e164: string;
  @Field(() => String, { nullable: true }) friendlyName: string | null;
  @Field() createdAt: Date;
}

@InputType()
export class AddPhoneNumberInput {
  @Field({ description: 'International format, normalised to E.164 (e.g. +14155550100)' }) number: string;
  @Field(() => String, { nullable: true }) friendlyName?: string;
}
