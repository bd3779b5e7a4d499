import { SmtpMailer } from '@ringflow/tenancy';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { SmtpEmailPort } from './smtp-email.port';
import { TenantSmtpSettings } from './tenant-smtp-settings';

/** What the email node needs in the gateway module: the port, its settings cache, and a mailer under the http node's egress allow-list. */
export const emailPortProviders = [
  SmtpEmailPort,
  TenantSmtpSettings,
  { provide: SmtpMailer, useFactory: (config: GatewayConfig) => new SmtpMailer({ allowCidrs: config.HTTP_EGRESS_ALLOW_CIDRS }), inject: [GATEWAY_CONFIG] },
];
