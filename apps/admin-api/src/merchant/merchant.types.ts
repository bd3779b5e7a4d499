import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ConnectionOf } from '../graphql/connection';

@ObjectType('Merchant', { description: 'A shop or till that redeems coupons' })
export class MerchantType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() createdAt: Date;
}

@ObjectType('MerchantConnection')
export class MerchantConnection extends ConnectionOf(MerchantType, 'Merchant') {}

@ObjectType('MerchantUser', { description: 'Someone who signs in to the merchant web page; the password is never returned' })
export class MerchantUserType {
  @Field(() => ID) id: string;
  @Field(() => ID) merchantId: string;
  @Field() email: string;
  @Field() createdAt: Date;
}

@ObjectType('MerchantKeyBinding', { description: 'A MERCHANT API key and the one merchant it redeems for' })
export class MerchantKeyBindingType {
  @Field(() => ID) apiKeyId: string;
  @Field(() => ID) merchantId: string;
}

@InputType()
export class CreateMerchantInput {
  @Field() name: string;
}

@InputType()
export class CreateMerchantUserInput {
  @Field(() => ID) merchantId: string;
  @Field() email: string;
  @Field({ description: 'Write-only: at least 12 characters, stored as a scrypt hash' }) password: string;
}

@InputType()
export class BindMerchantKeyInput {
  @Field(() => ID, { description: 'A MERCHANT key of this tenant' }) apiKeyId: string;
  @Field(() => ID) merchantId: string;
}
