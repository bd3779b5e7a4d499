import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiKeyRole } from '../api-key/api-key.types';

@ObjectType('Tenant')
export class TenantType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'IANA time zone used for business hours and calling windows' }) timeZone: string;
  @Field() createdAt: Date;
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
