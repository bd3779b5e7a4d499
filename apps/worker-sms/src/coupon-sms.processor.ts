import type { CouponSmsSendingService, CouponSmsToSend, SmsPacer } from '@ringflow/campaign';
import type { JobName, TypedJob } from '@ringflow/queue';
import { type TelephonyCredentials, TelephonyException, TelephonyExceptionCode, type TelephonyPort } from '@ringflow/telephony';
import { asTenantId, type TenantId, type TwilioCredentialsService } from '@ringflow/tenancy';
import { DelayedError } from 'bullmq';
import { rateLimitDelayMs } from './rate-limit-backoff';
import type { SenderPace } from './sender-pace';

/** What a coupon SMS job did; the worker logs it (ids only). `adopted`: an earlier attempt's message was found at Twilio and recorded. */
export type CouponSmsResult = 'sent' | 'adopted' | 'already-done' | 'gone' | 'failed';

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
  /** How long after an unanswered attempt its message is looked for at Twilio. */
  settleMs: number;
  /** The first wait after a 429 without Retry-After; doubles per 429, with jitter. */
  rateLimitBaseMs: number;
  /** The longest wait after a 429 (also caps a Retry-After). */
  rateLimitMaxMs: number;
  /** How long after it was queued a coupon SMS still waits out 429s before it is reported failed. */
  rateLimitGiveUpMs: number;
}

/** Twilio's and the port's clocks differ a little: an unconfirmed attempt is looked for from this much earlier. */
const CLOCK_SLACK_MS = 60_000;

/**
 * Sends one coupon's SMS: claimed first (a coupon with a message SID, or reported failed, is never sent
 * again), rendered from its promotion, paced per sender number, sent from the tenant's number, and the SID
 * recorded. A coupon whose earlier attempt may have reached Twilio unrecorded is looked for at Twilio first
 * and its message adopted. 429s wait (Retry-After, else exponential with jitter) without using a try and slow
 * the sender's pace; network errors and 5xx use a try; a refusal, or the last try, reports `failed` with
 * Twilio's error code.
 */
export class CouponSmsProcessor {
  constructor(
    private readonly sending: CouponSmsSendingService,
    private readonly telephony: TelephonyPort,
    private readonly credentials: Pick<TwilioCredentialsService, 'reveal'>,
    private readonly pacer: SmsPacer,
    private readonly pace: SenderPace,
    private readonly options: CouponSmsProcessorOptions,
  ) {}

  async process(job: TypedJob<JobName.SendCouponSms>, token?: string): Promise<CouponSmsResult> {
    const tenantId = asTenantId(job.data.tenantId);
    const { couponId } = job.data;
    const claim = await this.sending.claim(tenantId, couponId, { claimMs: this.options.claimMs, settleMs: this.options.settleMs });
    if (claim.kind === 'gone') return 'gone';
    if (claim.kind === 'done') return 'already-done';
    // Another run is sending it (or died doing so), or an unanswered attempt is settling: come back later, without using a try.
    if (claim.kind === 'busy') return this.delay(job, claim.retryInMs, token);

    const { sms } = claim;
    const from = sms.from;
    if (!from) return this.fail(tenantId, couponId, 'no-sender-number');
    let creds: TelephonyCredentials | null | undefined;
    try {
      creds = await this.credentials.reveal(tenantId);
    } catch (error) {
      await this.sending.release(tenantId, couponId, (error as Error).name ?? 'error', sms.unconfirmedSince === null);
      throw error;
    }
    if (!creds) return this.fail(tenantId, couponId, 'no-twilio-credentials');

    // An earlier attempt may have reached Twilio without its SID being recorded: find its message, do not send another.
    let unconfirmed = sms.unconfirmedSince !== null;
    if (sms.unconfirmedSince) {
      let earlier: string | null;
      try {
        earlier = await this.findEarlier(creds, sms, sms.unconfirmedSince);
      } catch (error) {
        return this.retryAfterError(job, tenantId, sms, error, false, token);
      }
      if (earlier) {
        await this.sending.recordSent(tenantId, couponId, earlier);
        return 'adopted';
      }
      // Not at Twilio once the list has settled: only this attempt's answer matters from here.
      unconfirmed = false;
    }

    const rate = await this.pace.current(tenantId, from);
    const slot = await this.pacer.acquire({ tenantId, sender: from, member: couponId, messagesPerSecond: rate, reserved: false });
    if (slot.kind === 'wait') {
      if (slot.reason !== 'slot') {
        await this.sending.release(tenantId, couponId, null, !unconfirmed);
        return this.delay(job, slot.ms, token);
      }
      // A slot is ours a short time ahead: hold the claim and wait for it here.
      await new Promise((resolve) => setTimeout(resolve, slot.ms));
      const guard = await this.pacer.acquire({ tenantId, sender: from, member: couponId, messagesPerSecond: rate, reserved: true });
      if (guard.kind === 'wait') {
        await this.sending.release(tenantId, couponId, null, !unconfirmed);
        return this.delay(job, guard.ms, token);
      }
    }

    let messageSid: string;
    const attemptAt = new Date();
    try {
      const sent = await this.telephony.sendSms(creds, { to: sms.to, from, body: sms.body, statusCallback: `${this.options.publicBaseUrl}/twilio/sms/status` });
      messageSid = sent.messageSid;
    } catch (error) {
      const refused = error instanceof TelephonyException && error.refused;
      await this.pacer.settle(tenantId, from, couponId, !refused);
      // The last try got no answer: Twilio may have the message. Look once the list has settled rather than report a sent text failed.
      if (!refused && job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        const earlier = await this.lastLook(creds, sms, sms.unconfirmedSince ?? attemptAt);
        if (earlier) {
          await this.sending.recordSent(tenantId, couponId, earlier);
          return 'adopted';
        }
      }
      return this.retryAfterError(job, tenantId, sms, error, !unconfirmed && refused, token);
    }
    await this.pacer.settle(tenantId, from, couponId, true);
    await this.sending.recordSent(tenantId, couponId, messageSid);
    await this.pace.speedUp(tenantId, from);
    return 'sent';
  }

  /** The SID of this coupon's message at Twilio since `since`, or null: a message to its phone that shows its serial. */
  private async findEarlier(creds: TelephonyCredentials, sms: CouponSmsToSend, since: Date): Promise<string | null> {
    const listed = await this.telephony.listSentSms(creds, { to: sms.to, since: new Date(since.getTime() - CLOCK_SLACK_MS) });
    return listed.find((m) => m.body.includes(sms.serialText))?.messageSid ?? null;
  }

  /** After `settleMs`, this coupon's message at Twilio since `since`, or null (also when the list cannot be read). */
  private async lastLook(creds: TelephonyCredentials, sms: CouponSmsToSend, since: Date): Promise<string | null> {
    await new Promise((resolve) => setTimeout(resolve, this.options.settleMs));
    return this.findEarlier(creds, sms, since).catch(() => null);
  }

  /**
   * After a failed request. 429: the claim goes back and the job waits (no try used), the sender slows down.
   * Network error, 5xx: a try is used. A refusal, or the last try: `failed` with Twilio's code.
   * `refused`: this attempt certainly created no message and no earlier one is unconfirmed.
   */
  private async retryAfterError(
    job: TypedJob<JobName.SendCouponSms>,
    tenantId: TenantId,
    sms: CouponSmsToSend,
    error: unknown,
    refused: boolean,
    token?: string,
  ): Promise<CouponSmsResult> {
    const telephony = error instanceof TelephonyException ? error : null;
    const code = telephony ? String(telephony.twilioCode ?? telephony.code) : ((error as Error).name ?? 'error');
    if (telephony?.code === TelephonyExceptionCode.RateLimited) {
      if (sms.from) await this.pace.slowDown(tenantId, sms.from);
      if (Date.now() - job.timestamp < this.options.rateLimitGiveUpMs) {
        await this.sending.release(tenantId, sms.couponId, code, refused);
        return this.delay(job, rateLimitDelayMs(rateLimitedRuns(job), telephony.retryAfterMs, this.options.rateLimitBaseMs, this.options.rateLimitMaxMs), token);
      }
      return this.fail(tenantId, sms.couponId, code);
    }
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if ((telephony === null || telephony.retryable) && !lastTry) {
      await this.sending.release(tenantId, sms.couponId, code, refused);
      throw new CouponSmsRetryError(code);
    }
    return this.fail(tenantId, sms.couponId, code);
  }

  private async delay(job: TypedJob<JobName.SendCouponSms>, ms: number, token?: string): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.max(1, Math.ceil(ms)), token);
    throw new DelayedError();
  }

  private async fail(tenantId: TenantId, couponId: string, code: string): Promise<'failed'> {
    await this.sending.recordFailed(tenantId, couponId, code);
    return 'failed';
  }
}

/** Runs of this job that ended in a wait rather than a try (429s, pacing, a busy claim): how far the 429 backoff has grown. */
function rateLimitedRuns(job: TypedJob<JobName.SendCouponSms>): number {
  return Math.max(0, (job.attemptsStarted ?? 0) - job.attemptsMade - 1);
}
