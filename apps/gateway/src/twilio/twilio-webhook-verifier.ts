import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { TenantId } from '@ringflow/tenancy';
import { TenantVoiceSettings, type VoiceSettings } from './tenant-voice-settings';
import { isSignedBy, type TwilioWebhook } from './twilio-webhook';

export type WebhookVerdict = { ok: true; settings: VoiceSettings } | { ok: false; why: string };

/** Is this webhook from the tenant's Twilio account? Its signature, with the tenant's auth token, and its AccountSid. */
@Injectable()
export class TwilioWebhookVerifier {
  constructor(
    private readonly settings: TenantVoiceSettings,
    private readonly cls: ClsService,
  ) {}

  async verify(tenantId: TenantId, webhook: TwilioWebhook): Promise<WebhookVerdict> {
    this.cls.set('tenantId', tenantId);
    const settings = await this.settings.get(tenantId);
    if (!settings) return { ok: false, why: 'the tenant has no Twilio credentials' };
    if (!isSignedBy(settings.authToken, webhook)) return { ok: false, why: 'X-Twilio-Signature is missing or wrong' };
    if (webhook.params.AccountSid && webhook.params.AccountSid !== settings.accountSid) return { ok: false, why: "AccountSid is not the tenant's" };
    return { ok: true, settings };
  }
}
