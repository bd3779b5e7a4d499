import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ConnectionOf } from '../graphql/connection';

@ObjectType('ContactList')
export class ContactListType {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => Int) contactCount: number;
  @Field() createdAt: Date;
}

@ObjectType('ContactListConnection')
export class ContactListConnection extends ConnectionOf(ContactListType, 'ContactList') {}

@ObjectType('Contact')
export class ContactType {
  @Field(() => ID) id: string;
  @Field({ description: 'E.164 (masked for an ANALYST key)' }) phone: string;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true, description: 'IANA zone of the calling window; null: from the number, else the tenant' }) timeZone: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Free-form names and values (extra CSV columns); null for an ANALYST key' })
  attributes: Record<string, unknown> | null;
  @Field() addedAt: Date;
}

@ObjectType('ContactConnection')
export class ContactConnection extends ConnectionOf(ContactType, 'Contact') {}

@InputType()
export class ContactInput {
  @Field({ description: 'International format; normalised to E.164' }) phone: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true, description: 'IANA zone, e.g. Europe/Berlin' }) timeZone?: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'A flat object: up to 50 names (a letter, then letters, digits, "_", "-") to strings (up to 500 characters), numbers or booleans; merged over a known contact\'s' })
  attributes?: Record<string, string | number | boolean>;
}

@ObjectType('ContactRowError', { description: 'A row that was not imported' })
export class ContactRowErrorType {
  @Field(() => Int, { description: '1 = the first row after the CSV header (or the first of `rows`)' }) row: number;
  @Field() field: string;
  @Field() message: string;
}

@ObjectType('ContactImportPayload', { description: 'The good rows are imported together; the others are listed' })
export class ContactImportPayload {
  @Field(() => Int, { description: 'Distinct numbers added or updated' }) imported: number;
  @Field(() => [ContactRowErrorType]) errors: ContactRowErrorType[];
}

@ObjectType('OptOut', { description: 'A number campaigns never call' })
export class OptOutType {
  @Field() phone: string;
  @Field() source: string;
  @Field() createdAt: Date;
}

@ObjectType('OptOutConnection')
export class OptOutConnection extends ConnectionOf(OptOutType, 'OptOut') {}
