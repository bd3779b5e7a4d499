import { SmtpMailer, SmtpTestEmailService } from '@ringflow/tenancy';
import type { AdminApiConfig } from '../admin-api.config';

/** The test email of the admin API sends as the gateway does: same mailer, same egress allow-list. */
export function smtpSettingsProviders(config: AdminApiConfig) {
  return [SmtpTestEmailService, { provide: SmtpMailer, useValue: new SmtpMailer({ allowCidrs: config.HTTP_EGRESS_ALLOW_CIDRS }) }];
}
