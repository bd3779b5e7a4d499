import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionOf } from '../graphql/connection';

@ObjectType('Promotion', { description: 'An offer; a key press in a campaign call texts a coupon for it' })
export class PromotionType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'What the customer gets, in words' }) offer: string;
  @Field({ description: 'The discount as shown ("20%")' }) discount: string;
  @Field({ description: 'Liquid template of the coupon SMS' }) smsTemplate: string;
  @Field() validFrom: Date;
  @Field() validUntil: Date;
  @Field(() => Int, { nullable: true, description: 'A coupon expires this many days after issue (or at validUntil, if sooner)' }) couponLifetimeDays: number | null;
  @Field() createdAt: Date;
}

@ObjectType('PromotionConnection')
export class PromotionConnection extends ConnectionOf(PromotionType, 'Promotion') {}

@InputType()
export class CreatePromotionInput {
  @Field() name: string;
  @Field() offer: string;
  @Field() discount: string;
  @Field() validFrom: Date;
  @Field() validUntil: Date;
  @Field(() => String, { nullable: true, description: 'Liquid; the platform default when absent' }) smsTemplate?: string;
  @Field(() => Int, { nullable: true }) couponLifetimeDays?: number;
}
