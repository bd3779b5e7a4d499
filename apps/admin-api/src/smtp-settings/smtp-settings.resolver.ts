import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { actorOf, Allow, CurrentPrincipal, type Principal, SmtpSettingsService, SmtpTestEmailService, tenantOf } from '@ringflow/tenancy';
import { SetSmtpSettingsInput, SmtpSettingsType, SmtpTestResultType } from './smtp-settings.types';

@Resolver(() => SmtpSettingsType)
export class SmtpSettingsResolver {
  constructor(
    private readonly smtp: SmtpSettingsService,
    private readonly testEmail: SmtpTestEmailService,
  ) {}

  @Allow('admin')
  @Query(() => SmtpSettingsType, { nullable: true, description: 'The tenant’s SMTP settings for flow email, without the password' })
  smtpSettings(@CurrentPrincipal() principal: Principal): Promise<SmtpSettingsType | null> {
    return this.smtp.find(tenantOf(principal));
  }

  @Allow('admin')
  @Mutation(() => SmtpSettingsType, { description: 'Sets (replaces) the SMTP settings; the gateway uses them within 30 seconds' })
  setSmtpSettings(@Args('input') input: SetSmtpSettingsInput, @CurrentPrincipal() principal: Principal): Promise<SmtpSettingsType> {
    return this.smtp.set(tenantOf(principal), input, actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => Boolean, { description: 'Removes the SMTP settings: email nodes then take failed. False when there were none' })
  removeSmtpSettings(@CurrentPrincipal() principal: Principal): Promise<boolean> {
    return this.smtp.remove(tenantOf(principal), actorOf(principal));
  }

  @Allow('admin')
  @Mutation(() => SmtpTestResultType, { description: 'Sends a test email to `to` through the saved settings, as a flow would (5 s at most)' })
  async sendTestEmail(@Args('to') to: string, @CurrentPrincipal() principal: Principal): Promise<SmtpTestResultType> {
    const result = await this.testEmail.send(tenantOf(principal), to, actorOf(principal));
    return result.sent ? { sent: true, messageId: result.messageId, error: null } : { sent: false, messageId: null, error: result.error };
  }
}
