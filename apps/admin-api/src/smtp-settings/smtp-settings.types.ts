import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum SmtpSecurityValue {
  TLS = 'tls',
  STARTTLS = 'starttls',
  NONE = 'none',
}
registerEnumType(SmtpSecurityValue, {
  name: 'SmtpSecurity',
  description: 'TLS: TLS from the first byte (usually port 465). STARTTLS: upgraded after the greeting, required (587). NONE: plaintext, only to addresses the operator allow-lists',
});

@ObjectType('SmtpSettings', { description: 'The SMTP server flow email nodes send through. The password is write-only: it is never returned' })
export class SmtpSettingsType {
  @Field() host: string;
  @Field(() => Int) port: number;
  @Field(() => SmtpSecurityValue) security: string;
  @Field() username: string;
  @Field() fromAddress: string;
  @Field(() => String, { nullable: true }) replyTo: string | null;
  @Field() updatedAt: Date;
}

@InputType()
export class SetSmtpSettingsInput {
  @Field({ description: 'Host name or IP address of the SMTP server' }) host: string;
  @Field(() => Int) port: number;
  @Field(() => SmtpSecurityValue) security: SmtpSecurityValue;
  @Field() username: string;
  @Field({ description: 'Write-only: stored encrypted, never returned' }) password: string;
  @Field({ description: 'The From address of every email, e.g. ivr@example.com' }) fromAddress: string;
  @Field(() => String, { nullable: true }) replyTo?: string | null;
}

@ObjectType('SmtpTestResult', { description: 'Whether the test email was accepted by the SMTP server, with its message id or why not' })
export class SmtpTestResultType {
  @Field() sent: boolean;
  @Field(() => String, { nullable: true }) messageId: string | null;
  @Field(() => String, { nullable: true, description: 'Why it was not sent: refused host, timeout, wrong password, the server’s reply' }) error: string | null;
}
