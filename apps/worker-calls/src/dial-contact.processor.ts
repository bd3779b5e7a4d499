import {
  attemptKey,
  type AttemptOutcome,
  type Campaign,
  campaignAnswerUrl,
  type CampaignAttemptsService,
  campaignStatusCallbackUrl,
  type Clock,
  contactZones,
  type DialPacer,
  nextCallableAt,
} from '@ringflow/campaign';
import type { JobName, TypedJob } from '@ringflow/queue';
import { TelephonyException, TelephonyExceptionCode, type TelephonyPort } from '@ringflow/telephony';
import { asTenantId } from '@ringflow/tenancy';
import { DelayedError } from 'bullmq';
import type { TenantCredentialsCache } from './tenant-credentials.cache';

/** What a dial job did; the worker logs it (ids only). */
export type DialResult =
  | 'placed'
  | 'gone'
  | 'stale'
  | `campaign-${Campaign['status']}`
  | 'opted-out'
  | 'already-done'
  | 'stopped'
  | 'uncertain'
  | AttemptOutcome;

const MACHINE_DETECTION = { 'hang-up': 'Enable', 'play-flow': 'DetectMessageEnd', ignore: undefined } as const;

/**
 * One dial of one contact for one attempt: status, opt-out and calling window checked at dial time,
 * then the pacer, then the attempt recorded, then the call placed with the tenant's credentials.
 * Waiting (window closed, pace, concurrency) delays the job; it never fails it.
 */
export class DialContactProcessor {
  constructor(
    private readonly attempts: CampaignAttemptsService,
    private readonly pacer: DialPacer,
    private readonly telephony: TelephonyPort,
    private readonly credentials: TenantCredentialsCache,
    private readonly clock: Clock,
    private readonly publicBaseUrl: string,
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
      await this.attempts.recordOutcome(tenantId, begun.attemptId, 'unknown', 'worker stopped mid-dial; the call may have been placed');
      return 'uncertain';
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
      return this.delay(job, token, waitMs + Math.floor(Math.random() * 1000), false);
    }

    const key = attemptKey(campaignId, contactId, attempt);
    const limits = { callsPerSecond: campaign.callsPerSecond, maxConcurrentCalls: campaign.maxConcurrentCalls };
    const pace = await this.pacer.acquire({ tenantId, campaignId, attemptKey: key, tenant: context.tenantLimits, campaign: limits, reserved: Boolean(job.data.slotReserved) });
    if (pace.kind === 'wait') return this.delay(job, token, pace.ms, pace.reserved);

    const begun = await this.attempts.begin(tenantId, campaignId, contactId, attempt);
    if (begun.kind === 'already-done' || begun.kind === 'stopped') {
      await this.pacer.release(tenantId, campaignId, key);
      return begun.kind;
    }
    if (begun.kind === 'uncertain') {
      await this.pacer.release(tenantId, campaignId, key);
      await this.attempts.recordOutcome(tenantId, begun.attemptId, 'unknown', 'worker stopped mid-dial; the call may have been placed');
      return 'uncertain';
    }

    let callSid: string;
    try {
      const creds = await this.credentials.get(tenantId);
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
      // Twilio answered with an error: no call exists. No answer at all (network): it may exist.
      const mayExist = telephony !== null && telephony.httpStatus === null && telephony.code === TelephonyExceptionCode.Unavailable;
      await this.pacer.settle(tenantId, campaignId, key, mayExist);
      const detail = telephony ? `${telephony.code}${telephony.twilioCode ? ` (${telephony.twilioCode})` : ''}` : (error as Error).name;
      if (telephony?.retryable && job.attemptsMade + 1 < (job.opts.attempts ?? 1)) {
        // Not placed: the attempt is given back and the job retries with exponential backoff.
        await this.attempts.notPlaced(tenantId, begun.attemptId, detail);
        await this.pacer.release(tenantId, campaignId, key);
        if (job.data.slotReserved) await job.updateData({ ...job.data, slotReserved: false });
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

  private async delay(job: TypedJob<JobName.DialContact>, token: string | undefined, ms: number, slotReserved: boolean): Promise<never> {
    if (Boolean(job.data.slotReserved) !== slotReserved) await job.updateData({ ...job.data, slotReserved });
    await job.moveToDelayed(Date.now() + Math.max(1, Math.round(ms)), token);
    throw new DelayedError();
  }
}
