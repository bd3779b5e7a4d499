import { Injectable } from '@nestjs/common';
import { audit } from '../audit/audit';
import { TenantDatabase } from '../tenant/tenant-database';
import type { TenantId } from '../tenant/tenant-id';
import { TenancyException } from '../tenancy.exception';
import { SmtpMailer, SmtpSendError } from './smtp-mailer';
import { isEmailAddress } from './smtp-settings.input';
import { SmtpSettingsService } from './smtp-settings.service';

export type SmtpTestResult = { sent: true; messageId: string } | { sent: false; error: string };

/** Sends an admin a test email through the tenant's saved SMTP settings, as a flow's email node would. */
@Injectable()
export class SmtpTestEmailService {
  constructor(
    private readonly settings: SmtpSettingsService,
    private readonly mailer: SmtpMailer,
    private readonly db: TenantDatabase,
  ) {}

  async send(tenantId: TenantId, to: string, actor: string): Promise<SmtpTestResult> {
    const recipient = to.trim();
    if (!isEmailAddress(recipient)) throw new TenancyException('invalid-input', `to must be an email address like name@example.com, got "${recipient.slice(0, 80)}"`, 'to');
    const smtp = await this.settings.reveal(tenantId);
    if (!smtp) throw new TenancyException('not-found', 'this tenant has no SMTP settings: set them with setSmtpSettings first');
    let result: SmtpTestResult;
    try {
      const text = 'This is a test email from Ringflow: your SMTP settings work, and flow email nodes will send through them.';
      result = { sent: true, messageId: await this.mailer.send(smtp, { to: recipient, subject: 'Ringflow SMTP test', text }) };
    } catch (error) {
      if (!(error instanceof SmtpSendError)) throw error;
      result = { sent: false, error: error.message };
    }
    // The recipient is not recorded: the audit log says who tested, when, and whether it worked.
    await this.db.run(tenantId, (em) => audit(em, tenantId, { actor, action: 'smtp-settings.test', targetType: 'smtp-settings', details: { sent: result.sent } }));
    return result;
  }
}
