import { Inject, Injectable } from '@nestjs/common';
import { TELEPHONY_PORT, type TelephonyCredentials, type TelephonyPort } from '@ringflow/telephony';
import type { TenantId } from '@ringflow/tenancy';
import { TenantVoiceSettings } from '../twilio/tenant-voice-settings';

/** The telephony port with the tenant's own Twilio account (cached with its voice settings). */
@Injectable()
export class QueueTelephony {
  constructor(
    @Inject(TELEPHONY_PORT) readonly port: TelephonyPort,
    private readonly settings: TenantVoiceSettings,
  ) {}

  async credentials(tenantId: TenantId): Promise<TelephonyCredentials> {
    const settings = await this.settings.get(tenantId);
    if (!settings) throw new Error(`tenant ${tenantId} has no Twilio credentials`);
    return { accountSid: settings.accountSid, authToken: settings.authToken };
  }

  async sendSms(tenantId: TenantId, from: string, to: string, body: string): Promise<void> {
    await this.port.sendSms(await this.credentials(tenantId), { from, to, body });
  }
}
