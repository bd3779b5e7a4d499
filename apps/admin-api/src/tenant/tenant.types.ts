import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiKeyRole } from '../api-key/api-key.types';

@ObjectType('Tenant')
export class TenantType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'IANA time zone used for business hours and calling windows' }) timeZone: string;
  @Field(() => String, { nullable: true, description: "Said when a call cannot go on; the platform's default when null" })
  fallbackMessage: string | null;
  @Field(() => String, { nullable: true, description: 'Where such a call is transferred after the apology; hung up when null' })
  fallbackTransferNumber: string | null;
  @Field(() => String, { nullable: true, description: 'Caller id of outbound calls and bridges when a flow names none' })
  defaultCallerId: string | null;
  @Field() createdAt: Date;
}

@InputType({ description: 'Only the fields given change; null clears an optional one' })
export class UpdateTenantInput {
  @Field({ nullable: true }) name?: string;
  @Field({ nullable: true }) timeZone?: string;
  @Field(() => String, { nullable: true }) fallbackMessage?: string | null;
  @Field(() => String, { nullable: true }) fallbackTransferNumber?: string | null;
  @Field(() => String, { nullable: true }) defaultCallerId?: string | null;
}

@InputType()
export class CreateTenantInput {
  @Field() name: string;
  @Field({ nullable: true, description: 'IANA time zone, default UTC' }) timeZone?: string;
}

export enum PrincipalKind {
  OPERATOR = 'operator',
  API_KEY = 'api-key',
}
registerEnumType(PrincipalKind, { name: 'PrincipalKind' });

@ObjectType('Me', { description: 'Who the presented key belongs to' })
export class MeType {
  @Field(() => PrincipalKind) kind: PrincipalKind;
  @Field(() => ApiKeyRole, { nullable: true }) role?: ApiKeyRole;
  @Field(() => ID, { nullable: true }) apiKeyId?: string;
  @Field(() => TenantType, { nullable: true }) tenant?: TenantType;
}
