import type { CouponSmsSendingService } from '@ringflow/campaign';
import type { JobName, TypedJob } from '@ringflow/queue';
import { TelephonyException, type TelephonyPort } from '@ringflow/telephony';
import { asTenantId, type TwilioCredentialsService } from '@ringflow/tenancy';
import { DelayedError } from 'bullmq';

/** What a coupon SMS job did; the worker logs it (ids only). */
export type CouponSmsResult = 'sent' | 'already-done' | 'gone' | 'failed';

/** A send to retry later. Its message names only codes: job errors are kept in Redis and logged. */
export class CouponSmsRetryError extends Error {
  override name = 'CouponSmsRetryError';

  constructor(readonly code: string) {
    super(`coupon SMS not sent yet (${code}); retrying with backoff`);
  }
}

export interface CouponSmsProcessorOptions {
  /** The gateway's public URL: Twilio posts message statuses to `<it>/twilio/sms/status`. */
  publicBaseUrl: string;
  claimMs: number;
}

/**
 * Sends one coupon's SMS: claimed first (a coupon with a message SID, or reported failed, is never sent
 * again), rendered from its promotion, sent from the tenant's number, and the SID recorded. 429 and network
 * errors give the claim back and retry; a refusal, or the last try, reports `failed` with Twilio's error code.
 */
export class CouponSmsProcessor {
  constructor(
    private readonly sending: CouponSmsSendingService,
    private readonly telephony: TelephonyPort,
    private readonly credentials: Pick<TwilioCredentialsService, 'reveal'>,
    private readonly options: CouponSmsProcessorOptions,
  ) {}

  async process(job: TypedJob<JobName.SendCouponSms>, token?: string): Promise<CouponSmsResult> {
    const tenantId = asTenantId(job.data.tenantId);
    const { couponId } = job.data;
    const claim = await this.sending.claim(tenantId, couponId, this.options.claimMs);
    if (claim.kind === 'gone') return 'gone';
    if (claim.kind === 'done') return 'already-done';
    if (claim.kind === 'busy') {
      // Another run is sending it (or died doing so): come back when its claim runs out, without using a try.
      await job.moveToDelayed(Date.now() + claim.retryInMs, token);
      throw new DelayedError();
    }

    const { sms } = claim;
    if (!sms.from) return this.fail(tenantId, couponId, 'no-sender-number');
    let messageSid: string;
    try {
      const creds = await this.credentials.reveal(tenantId);
      if (!creds) return this.fail(tenantId, couponId, 'no-twilio-credentials');
      const sent = await this.telephony.sendSms(creds, { to: sms.to, from: sms.from, body: sms.body, statusCallback: `${this.options.publicBaseUrl}/twilio/sms/status` });
      messageSid = sent.messageSid;
    } catch (error) {
      const telephony = error instanceof TelephonyException ? error : null;
      const code = telephony ? String(telephony.twilioCode ?? telephony.code) : ((error as Error).name ?? 'error');
      const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if ((telephony === null || telephony.retryable) && !lastTry) {
        await this.sending.release(tenantId, couponId, code);
        throw new CouponSmsRetryError(code);
      }
      return this.fail(tenantId, couponId, code);
    }
    await this.sending.recordSent(tenantId, couponId, messageSid);
    return 'sent';
  }

  private async fail(tenantId: ReturnType<typeof asTenantId>, couponId: string, code: string): Promise<'failed'> {
    await this.sending.recordFailed(tenantId, couponId, code);
    return 'failed';
  }
}
