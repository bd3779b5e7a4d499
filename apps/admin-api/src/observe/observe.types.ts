import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionOf } from '../graphql/connection';

@ObjectType('CallRecord', { description: 'A finished call; numbers are masked for an ANALYST key' })
export class CallRecordType {
  @Field() callSid: string;
  @Field() from: string;
  @Field() to: string;
  @Field({ description: 'inbound or outbound' }) direction: string;
  @Field(() => ID, { nullable: true }) flowId: string | null;
  @Field(() => Int, { nullable: true }) flowVersion: number | null;
  @Field(() => Date, { nullable: true }) startedAt: Date | null;
  @Field() endedAt: Date;
  @Field(() => Int) durationSeconds: number;
  @Field() outcome: string;
  @Field(() => [String], { description: 'The flow nodes the call went through, in order' }) nodePath: string[];
}

@ObjectType('CallRecordConnection')
export class CallRecordConnection extends ConnectionOf(CallRecordType, 'CallRecord') {}

@InputType()
export class CallRecordFilterInput {
  @Field(() => Date, { nullable: true, description: 'Ended at or after' }) endedAfter?: Date;
  @Field(() => Date, { nullable: true, description: 'Ended before' }) endedBefore?: Date;
  @Field(() => String, { nullable: true, description: 'Caller or called, any international format (not for ANALYST keys)' }) number?: string;
  @Field(() => String, { nullable: true }) outcome?: string;
}

@ObjectType('FunnelTotals', { description: 'Coupons issued, sent, delivered, failed and redeemed, and the revenue of redemptions' })
export class FunnelTotalsType {
  @Field(() => Int) issued: number;
  @Field(() => Int) sent: number;
  @Field(() => Int) delivered: number;
  @Field(() => Int) failed: number;
  @Field(() => Int) redeemed: number;
  @Field({ description: 'Decimal string, e.g. "120.50"' }) revenue: string;
}

@ObjectType('Coupon', { description: 'An issued coupon; the phone is masked for an ANALYST key' })
export class CouponType {
  @Field(() => ID) id: string;
  @Field(() => ID) promotionId: string;
  @Field(() => ID, { nullable: true }) campaignId: string | null;
  @Field({ description: 'As printed: 7KQ4M-2XD9P-HT3QR' }) serial: string;
  @Field() phone: string;
  @Field() issuedAt: Date;
  @Field() expiresAt: Date;
  @Field(() => Date, { nullable: true }) redeemedAt: Date | null;
  @Field(() => ID, { nullable: true }) redeemedByMerchantId: string | null;
  @Field(() => String, { nullable: true }) orderAmount: string | null;
  @Field({ description: 'pending, sent, delivered or failed' }) smsStatus: string;
}

@ObjectType('CouponConnection')
export class CouponConnection extends ConnectionOf(CouponType, 'Coupon') {}

@InputType()
export class CouponSearchInput {
  @Field(() => String, { nullable: true, description: 'As typed: case, dashes and spaces do not matter' }) serial?: string;
  @Field(() => String, { nullable: true, description: 'Not for ANALYST keys' }) phone?: string;
  @Field(() => ID, { nullable: true }) promotionId?: string;
  @Field(() => ID, { nullable: true }) campaignId?: string;
}
