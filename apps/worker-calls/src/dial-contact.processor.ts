import {
  attemptKey,
  type AttemptOutcome,
  type Campaign,
  campaignAnswerUrl,
  type CampaignAttemptsService,
  type CampaignReconciliationService,
  campaignStatusCallbackUrl,
  type Clock,
  contactZones,
  type DialPacer,
  nextCallableAt,
} from '@ringflow/campaign';
import type { JobName, TypedJob } from '@ringflow/queue';
import { type TelephonyCredentials, TelephonyException, TelephonyExceptionCode, type TelephonyPort } from '@ringflow/telephony';
import { asTenantId, type TenantId } from '@ringflow/tenancy';
import { DelayedError } from 'bullmq';
import { findUnheldCall } from './placed-call-lookup';
import type { TenantCredentialsCache } from './tenant-credentials.cache';

/** What a dial job did; the worker logs it (ids only). */
export type DialResult =
  | 'placed'
  /** Twilio's answer was an error (5xx, timeout) but the call existed: its SID was found and recorded. */
  | 'adopted'
  | 'gone'
  | 'stale'
  | `campaign-${Campaign['status']}`
  | 'opted-out'
  | 'already-done'
  | 'stopped'
  | 'uncertain'
  | AttemptOutcome;

/** A slot this close is waited for in the process; a later one back in the queue. */
const IN_PROCESS_WAIT_MS = 400;

/** Twilio's clock and ours differ a little: a call is looked for from this long before its request left. */
const CLOCK_SLACK_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const MACHINE_DETECTION = { 'hang-up': 'Enable', 'play-flow': 'DetectMessageEnd', ignore: undefined } as const;

/**
 * One dial of one contact for one attempt: status, opt-out and calling window checked at dial time,
 * then a slot from the pacer, the attempt recorded while the slot comes up, the pacer's hard guard, and
 * the call placed with the tenant's credentials. Waiting (window closed, pace, concurrency) delays the
 * job (or, for a slot less than IN_PROCESS_WAIT_MS away, waits in the process); it never fails it.
 */
export class DialContactProcessor {
  constructor(
    private readonly attempts: CampaignAttemptsService,
    private readonly pacer: DialPacer,
    private readonly telephony: TelephonyPort,
    private readonly credentials: TenantCredentialsCache,
    private readonly clock: Clock,
    private readonly publicBaseUrl: string,
    private readonly reconciliation: CampaignReconciliationService,
    /** How long after an answer that does not say whether the call exists (5xx, timeout) the call is looked for. */
    private readonly lookupSettleMs = 1500,
  ) {}

  async process(job: TypedJob<JobName.DialContact>, token?: string): Promise<DialResult> {
    const { campaignId, contactId, attempt } = job.data;
    const tenantId = asTenantId(job.data.tenantId);
    const context = await this.attempts.dialContext(tenantId, campaignId, contactId);
    if (!context) return 'gone';
    const { campaign, contact } = context;
    // Paused: dropped here, queued again on resume. Cancelled or completed: dropped for good.
    if (campaign.status !== 'running') return `campaign-${campaign.status}`;
    if (contact.state === 'in-call' && contact.attempts === attempt) {
      // This attempt was recorded by a run that did not finish (a worker died): settle it, never redial it.
      const begun = await this.attempts.begin(tenantId, campaignId, contactId, attempt);
      if (begun.kind !== 'uncertain') return begun.kind === 'stopped' ? 'stopped' : 'already-done';
      return this.settleUncertain(tenantId, begun, contact.phone, campaign.callerId);
    }
    if (contact.state !== 'pending' || contact.attempts + 1 !== attempt) return 'stale';
    if (context.optedOut) {
      await this.attempts.dispose(tenantId, campaignId, contactId, 'opted-out');
      return 'opted-out';
    }

    const now = this.clock();
    const opensAt =
      nextCallableAt(now, contactZones(contact, context.tenantTimeZone), campaign.window) ?? nextCallableAt(now, [context.tenantTimeZone], campaign.window);
    if (!opensAt || opensAt > now) {
      const waitMs = opensAt ? opensAt.getTime() - now.getTime() : 24 * 3600_000;
      // Spread a window's opening over a second so its backlog does not arrive in one burst.
      return this.delay(job, token, waitMs + Math.floor(Math.random() * 1000));
    }

    const key = attemptKey(campaignId, contactId, attempt);
    const pace = { tenantId, campaignId, attemptKey: key, tenant: context.tenantLimits, campaign: { callsPerSecond: campaign.callsPerSecond, maxConcurrentCalls: campaign.maxConcurrentCalls } };
    const reservation = await this.pacer.reserve(pace);
    if (reservation.kind === 'wait') return this.delay(job, token, reservation.ms);
    // A slot far ahead stays held in Redis while the job waits in the queue; it comes back shortly before it.
    if (reservation.inMs > IN_PROCESS_WAIT_MS) return this.delay(job, token, reservation.inMs - IN_PROCESS_WAIT_MS / 2);

    // The attempt is recorded while the slot comes up, so the request leaves on time.
    const begun = await Promise.all([this.attempts.begin(tenantId, campaignId, contactId, attempt), sleep(reservation.inMs)]).then(
      ([result]) => result,
      async (error: unknown) => {
        // Nothing recorded (the database failed): the slot and lease go back, or they would hold the cap until the lease expires.
        await this.pacer.release(tenantId, campaignId, key);
        throw error;
      },
    );
    if (begun.kind === 'already-done' || begun.kind === 'stopped') {
      await this.pacer.release(tenantId, campaignId, key);
      return begun.kind;
    }
    if (begun.kind === 'uncertain') {
      await this.pacer.release(tenantId, campaignId, key);
      return this.settleUncertain(tenantId, begun, contact.phone, campaign.callerId);
    }

    // Credentials first (decrypted once a minute), so nothing but the request sits between the guard and Twilio.
    const credentials = this.credentials.get(tenantId);
    credentials.catch(() => undefined);
    const admitted = await this.pacer.admit(pace).catch(async (error: unknown) => {
      await this.attempts.notPlaced(tenantId, begun.attemptId, 'pacer unavailable');
      await this.pacer.release(tenantId, campaignId, key);
      throw error;
    });
    if (!admitted) {
      // The last second stayed full past the wait (other processes' requests were slow): the attempt is given back.
      await this.attempts.notPlaced(tenantId, begun.attemptId, 'paced');
      await this.pacer.release(tenantId, campaignId, key);
      return this.delay(job, token, 250);
    }
    let callSid: string;
    let creds: TelephonyCredentials | undefined;
    const sentAt = Date.now();
    try {
      creds = await credentials;
      const ref = { tenantId, campaignId, attemptId: begun.attemptId };
      const answerUrl = campaign.answer.kind === 'url' ? campaign.answer.url : campaignAnswerUrl(this.publicBaseUrl, ref);
      const call = await this.telephony.placeCall(creds, {
        to: contact.phone,
        from: campaign.callerId,
        url: answerUrl,
        statusCallback: campaignStatusCallbackUrl(this.publicBaseUrl, ref),
        statusCallbackEvents: ['completed'],
        machineDetection: MACHINE_DETECTION[campaign.machineHandling],
        timeoutSeconds: 30,
      });
      callSid = call.callSid;
    } catch (error) {
      const telephony = error instanceof TelephonyException ? error : null;
      // A 4xx refusal created nothing. A 5xx, a timeout or a network error after sending may hide a placed call:
      // it is looked for at Twilio and adopted, never dialed again blind.
      if (telephony && !telephony.refused && creds) {
        let found: string | null;
        try {
          await sleep(this.lookupSettleMs);
          found = await findUnheldCall(this.telephony, this.reconciliation, tenantId, creds, { to: contact.phone, from: campaign.callerId, since: new Date(sentAt - CLOCK_SLACK_MS) });
        } catch (lookupError) {
          // Nobody can say whether the call exists: the attempt stays 'dialing', so the job's retry settles it as
          // unknown (or the reconciler finds its call) instead of dialing again.
          await this.pacer.settle(tenantId, campaignId, key, true);
          throw lookupError;
        }
        if (found) {
          await this.pacer.settle(tenantId, campaignId, key, true);
          await this.attempts.placed(tenantId, begun.attemptId, found);
          return 'adopted';
        }
      }
      await this.pacer.settle(tenantId, campaignId, key, false);
      const detail = telephony ? `${telephony.code}${telephony.twilioCode ? ` (${telephony.twilioCode})` : ''}` : (error as Error).name;
      if (telephony?.retryable && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) {
        // Not placed: the attempt is given back and the job retries with exponential backoff.
        await this.attempts.notPlaced(tenantId, begun.attemptId, detail);
        await this.pacer.release(tenantId, campaignId, key);
        throw error;
      }
      const outcome: AttemptOutcome = telephony?.code === TelephonyExceptionCode.InvalidNumber ? 'invalid-number' : 'failed';
      await this.attempts.recordOutcome(tenantId, begun.attemptId, outcome, detail);
      return outcome;
    }
    // The call exists from here on: a failure below retries the job, which then settles the attempt as unknown.
    await this.pacer.settle(tenantId, campaignId, key, true);
    await this.attempts.placed(tenantId, begun.attemptId, callSid);
    return 'placed';
  }

  /**
   * An attempt a run began and never finished (a worker died, or Twilio's answer and the look-up both failed): its call
   * is looked for at Twilio and adopted; without one (or when Twilio cannot say) it is settled as unknown, never redialed.
   */
  private async settleUncertain(
    tenantId: TenantId,
    begun: { attemptId: string; createdAt: Date },
    to: string,
    from: string,
  ): Promise<'adopted' | 'uncertain'> {
    const found = await this.credentials
      .get(tenantId)
      .then((creds) => findUnheldCall(this.telephony, this.reconciliation, tenantId, creds, { to, from, since: new Date(begun.createdAt.getTime() - CLOCK_SLACK_MS) }))
      .catch(() => null);
    if (found) {
      await this.attempts.placed(tenantId, begun.attemptId, found);
      return 'adopted';
    }
    await this.attempts.recordOutcome(tenantId, begun.attemptId, 'unknown', 'worker stopped mid-dial; the call may have been placed');
    return 'uncertain';
  }

  private async delay(job: TypedJob<JobName.DialContact>, token: string | undefined, ms: number): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.max(1, Math.round(ms)), token);
    throw new DelayedError();
  }
}
