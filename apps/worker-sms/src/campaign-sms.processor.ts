import { renderSmsCampaignMessage, type SmsCampaignMessages, type SmsPacer } from '@ringflow/campaign';
import type { JobName, TypedJob } from '@ringflow/queue';
import { TelephonyException, type TelephonyPort } from '@ringflow/telephony';
import { asTenantId, type TwilioCredentialsService } from '@ringflow/tenancy';
import { DelayedError } from 'bullmq';
import { CouponSmsRetryError } from './coupon-sms.processor';

/** What an SMS campaign job did; the worker logs it (ids only). */
export type CampaignSmsResult = 'sent' | 'closed' | 'failed';

export interface CampaignSmsProcessorOptions {
  /** The gateway's public URL: Twilio posts message statuses to `<it>/twilio/sms/status`. */
  publicBaseUrl: string;
  claimMs: number;
}

/**
 * Sends one contact's message of an SMS campaign: paced per sender number (SmsPacer, shared by every
 * worker process), claimed at send time (an opted-out number or a campaign no longer running closes it
 * unsent), rendered from the campaign's Liquid template with the opt-out wording, and its SID recorded.
 */
export class CampaignSmsProcessor {
  constructor(
    private readonly messages: SmsCampaignMessages,
    private readonly pacer: SmsPacer,
    private readonly telephony: TelephonyPort,
    private readonly credentials: Pick<TwilioCredentialsService, 'reveal'>,
    private readonly options: CampaignSmsProcessorOptions,
  ) {}

  async process(job: TypedJob<JobName.SendCampaignSms>, token?: string): Promise<CampaignSmsResult> {
    const tenantId = asTenantId(job.data.tenantId);
    const { messageId } = job.data;
    const pace = await this.messages.peek(tenantId, messageId);
    // Already sent or closed, or its campaign is not running: the claim closes it (cancelled, opted out) or holds it (paused).
    if (!pace) {
      const claim = await this.messages.claim(tenantId, messageId, this.options.claimMs);
      if (claim.kind === 'send') return this.giveBack(tenantId, messageId);
      if (claim.kind === 'busy') {
        await job.moveToDelayed(Date.now() + claim.retryInMs, token);
        throw new DelayedError();
      }
      return 'closed';
    }
    const decision = await this.pacer.acquire({ tenantId, sender: pace.sender, member: messageId, messagesPerSecond: pace.messagesPerSecond, reserved: job.data.slotReserved === true });
    if (decision.kind === 'wait') {
      await job.updateData({ ...job.data, slotReserved: decision.reserved });
      await job.moveToDelayed(Date.now() + decision.ms, token);
      throw new DelayedError();
    }
    if (job.data.slotReserved) await job.updateData({ ...job.data, slotReserved: false });

    const claim = await this.messages.claim(tenantId, messageId, this.options.claimMs);
    if (claim.kind !== 'send') {
      await this.pacer.settle(tenantId, pace.sender, messageId, false);
      if (claim.kind === 'busy') {
        await job.moveToDelayed(Date.now() + claim.retryInMs, token);
        throw new DelayedError();
      }
      return 'closed';
    }

    let messageSid: string;
    try {
      const creds = await this.credentials.reveal(tenantId);
      if (!creds) return this.fail(tenantId, messageId, pace.sender, 'no-twilio-credentials', false);
      const body = renderSmsCampaignMessage(claim.template, { name: claim.contactName, attributes: claim.contactAttributes });
      const sent = await this.telephony.sendSms(creds, { to: claim.phone, from: claim.sender, body, statusCallback: `${this.options.publicBaseUrl}/twilio/sms/status` });
      messageSid = sent.messageSid;
    } catch (error) {
      const telephony = error instanceof TelephonyException ? error : null;
      const code = telephony ? String(telephony.twilioCode ?? telephony.code) : ((error as Error).name ?? 'error');
      // A refusal never reached a handset; a network error may have.
      await this.pacer.settle(tenantId, claim.sender, messageId, telephony === null);
      const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if ((telephony === null || telephony.retryable) && !lastTry) {
        await this.messages.release(tenantId, messageId, code);
        throw new CouponSmsRetryError(code);
      }
      return this.fail(tenantId, messageId, claim.sender, code, true);
    }
    await this.pacer.settle(tenantId, claim.sender, messageId, true);
    await this.messages.recordSent(tenantId, messageId, messageSid);
    return 'sent';
  }

  /** Claimed outside the pace (cannot happen while the campaign runs): back to pending for a later run. */
  private async giveBack(tenantId: ReturnType<typeof asTenantId>, messageId: string): Promise<'closed'> {
    await this.messages.release(tenantId, messageId, 'not-running');
    return 'closed';
  }

  private async fail(tenantId: ReturnType<typeof asTenantId>, messageId: string, sender: string, code: string, settled: boolean): Promise<'failed'> {
    if (!settled) await this.pacer.settle(tenantId, sender, messageId, false);
    await this.messages.recordFailed(tenantId, messageId, code);
    return 'failed';
  }
}
