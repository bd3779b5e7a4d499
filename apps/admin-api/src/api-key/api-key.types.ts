import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ApiKeyRole {
  ADMIN = 'admin',
  MARKETER = 'marketer',
  ANALYST = 'analyst',
  MERCHANT = 'merchant',
}
registerEnumType(ApiKeyRole, { name: 'ApiKeyRole' });

@ObjectType('ApiKey')
export class ApiKeyType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => ApiKeyRole) role: string;
  @Field({ description: 'The first characters of the key, to recognise it' }) prefix: string;
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyType {
  @Field(() => ApiKeyType) apiKey: ApiKeyType;
  @Field({ description: 'The key itself. Shown this once; store it now.' }) secret: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID, { nullable: true, description: 'Operator key only: the tenant the key is for' }) tenantId?: string;
  @Field() name: string;
  @Field(() => ApiKeyRole) role: ApiKeyRole;
  @Field(() => Date, { nullable: true }) expiresAt?: Date;
}
