import { randomBytes } from 'node:crypto';
import {
  type CampaignAttemptsService,
  type CampaignExpander,
  type CampaignQueues,
  type CampaignReconciliationService,
  outcomeOfCallStatus,
  type UnsettledAttempt,
} from '@ringflow/campaign';
import { jobId } from '@ringflow/queue';
import { TelephonyException, TelephonyExceptionCode, type TelephonyPort } from '@ringflow/telephony';
import type { TenantId } from '@ringflow/tenancy';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { findUnheldCall } from './placed-call-lookup';
import type { TenantCredentialsCache } from './tenant-credentials.cache';

export interface ReconcilerOptions {
  /** Between two runs (each process tries; one runs at a time across processes). */
  intervalMs: number;
  /** An attempt begun or placed longer ago than this without an outcome is asked about at Twilio. */
  attemptBoundMs: number;
  /** Attempts looked at per tenant and run. */
  attemptsPerTenant?: number;
  /** Running campaigns checked per tenant and run. */
  campaignsPerTenant?: number;
}

/** Every tenant's id, page by page (the one cross-tenant read: ringflow_tenant_ids, ids only). */
export type TenantPages = (after: TenantId | null, limit: number) => Promise<TenantId[]>;

/** What one run did, for the log and tests (counts only). */
export interface ReconcileRun {
  outcomes: number;
  adopted: number;
  givenBack: number;
  reexpanded: number;
}

const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;
/** Contacts due for a dial sampled per campaign: none of them queued means the campaign's jobs are gone. */
const DUE_SAMPLE = 5;

/**
 * Closes what Twilio's status callbacks and the queues left open, tenant by tenant, one run at a time across
 * processes (a Redis lock): an attempt with no outcome past a bound gets the call's status from Twilio, recorded
 * through `recordOutcome` as the callback would (idempotent with a late callback and the gateway's sweeper);
 * an attempt whose dial never learned its SID gets the call Twilio lists, or is given back when there is none;
 * a running campaign whose due contacts have no dial job and no expansion queued (Redis lost them) is expanded
 * again (job ids are deterministic, so nothing is queued twice).
 */
export class CampaignReconciler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly lockKey: string;

  constructor(
    private readonly redis: Redis,
    namespace: string,
    private readonly tenants: TenantPages,
    private readonly reconciliation: CampaignReconciliationService,
    private readonly attempts: CampaignAttemptsService,
    private readonly expander: CampaignExpander,
    private readonly queues: CampaignQueues,
    private readonly telephony: TelephonyPort,
    private readonly credentials: TenantCredentialsCache,
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
  ) {
    this.lockKey = `${namespace}:campaign-reconciler:lock`;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error: Error) => this.logger.warn({ err: { name: error.name, code: (error as { code?: string }).code } }, 'campaign reconcile failed'))
        .finally(() => (this.running = null));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One run over every tenant, or null when another process holds the lock. */
  async runOnce(): Promise<ReconcileRun | null> {
    const token = randomBytes(8).toString('hex');
    const ttl = Math.max(this.options.intervalMs * 4, 60_000);
    if ((await this.redis.set(this.lockKey, token, 'PX', ttl, 'NX')) !== 'OK') return null;
    const run: ReconcileRun = { outcomes: 0, adopted: 0, givenBack: 0, reexpanded: 0 };
    try {
      let after: TenantId | null = null;
      for (;;) {
        const page = await this.tenants(after, 500);
        for (const tenantId of page) {
          try {
            await this.reconcileTenant(tenantId, run);
          } catch (error) {
            // One tenant's failure (its Twilio down, bad credentials) does not stop the others.
            this.logger.warn({ tenantId, err: { name: (error as Error).name, code: (error as { code?: string }).code } }, 'tenant reconcile failed');
          }
        }
        if (page.length < 500) break;
        after = page[page.length - 1];
      }
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, this.lockKey, token);
    }
    if (run.outcomes || run.adopted || run.givenBack || run.reexpanded) this.logger.info(run, 'campaigns reconciled');
    return run;
  }

  private async reconcileTenant(tenantId: TenantId, run: ReconcileRun): Promise<void> {
    const before = new Date(Date.now() - this.options.attemptBoundMs);
    const unsettled = await this.reconciliation.unsettledAttempts(tenantId, before, this.options.attemptsPerTenant ?? 100);
    for (const attempt of unsettled) await this.settle(tenantId, attempt, run);

    for (const due of await this.reconciliation.dueContacts(tenantId, this.options.campaignsPerTenant ?? 20, DUE_SAMPLE)) {
      if (await this.expansionQueued(tenantId, due.campaignId)) continue;
      const jobs = await Promise.all(
        due.contacts.map((c) => this.queues.dials.getJob(jobId('dial', tenantId, due.campaignId, c.contactId, c.attempt))),
      );
      if (jobs.some(Boolean)) continue;
      await this.expander.expandAndChain(tenantId, due.campaignId, 0);
      run.reexpanded++;
      this.logger.info({ tenantId, campaignId: due.campaignId }, 'campaign had due contacts and no jobs: expanded again');
    }
  }

  private async settle(tenantId: TenantId, attempt: UnsettledAttempt, run: ReconcileRun): Promise<void> {
    const creds = await this.credentials.get(tenantId);
    let callSid = attempt.callSid;
    if (!callSid) {
      // The dial never learned whether its call was placed, and nothing settled it since.
      callSid = await findUnheldCall(this.telephony, this.reconciliation, tenantId, creds, {
        to: attempt.phone,
        from: attempt.callerId,
        since: new Date(attempt.createdAt.getTime() - 5_000),
      });
      if (!callSid) {
        await this.attempts.notPlaced(tenantId, attempt.attemptId, 'no call found at Twilio');
        run.givenBack++;
        return;
      }
      await this.attempts.placed(tenantId, attempt.attemptId, callSid);
      run.adopted++;
    }
    let status: string;
    let answeredBy: string | null;
    try {
      ({ status, answeredBy } = await this.telephony.fetchCall(creds, callSid));
    } catch (error) {
      if (!(error instanceof TelephonyException && error.code === TelephonyExceptionCode.NotFound)) throw error;
      await this.attempts.recordOutcome(tenantId, attempt.attemptId, 'unknown', 'call not found at Twilio');
      run.outcomes++;
      return;
    }
    const outcome = outcomeOfCallStatus(status, answeredBy);
    if (!outcome) {
      // Still queued, ringing or in progress: asked again once the bound has passed again.
      await this.reconciliation.markChecked(tenantId, attempt.attemptId);
      return;
    }
    const result = await this.attempts.recordOutcome(tenantId, attempt.attemptId, outcome);
    if (result.kind !== 'replayed') run.outcomes++;
  }

  private async expansionQueued(tenantId: string, campaignId: string): Promise<boolean> {
    const jobs = await this.queues.control.getJobs(['waiting', 'delayed', 'active', 'prioritized'], 0, 999);
    return jobs.some((j) => j?.data.tenantId === tenantId && j.data.campaignId === campaignId);
  }
}
