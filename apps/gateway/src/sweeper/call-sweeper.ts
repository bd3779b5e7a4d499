import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import { activeCallsKey, CallRecordOutbox, CallSessionStore, pendingCallRecordsKey, type StoredSession } from '@ringflow/session';
import { TELEPHONY_PORT, type TelephonyPort } from '@ringflow/telephony';
import type { TenantId } from '@ringflow/tenancy';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { TenantVoiceSettings } from '../twilio/tenant-voice-settings';
import { CallEnding, describeWrite } from './call-ending';
import { sweepVerdict, type TwilioAnswer } from './call-sweep-verdict';
import { SweptCampaignAttempt } from './swept-campaign-attempt';
import { TenantDirectory } from './tenant-directory';

/** Bounds of one run, so that a sweep stays short whatever the backlog; what is left waits for the next run. */
export const sweepBounds = {
  tenantPage: 500,
  /** Waiting call records written per batch; a tenant's batches go on while the run's budget lasts. */
  recordsPerBatch: 500,
  /** Oldest active calls examined per tenant per run, and of those, Twilio asked about. */
  callsExaminedPerTenant: 200,
  lookupsPerTenant: 20,
  /**
   * The lock that makes one sweep at a time across replicas; a run stops taking new tenants or calls after half of it.
   * Correctness does not rest on it (ending a call is idempotent); it keeps replicas from asking Twilio twice.
   */
  lockMs: 60_000,
} as const;

export interface SweepReport {
  /** False when another replica (or an earlier run) held the lock. */
  ran: boolean;
  tenants: number;
  recordsWritten: number;
  closed: number;
  leftLive: number;
  failedTenants: number;
}

const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Closes calls whose final status callback never came, and writes call records Postgres refused earlier.
 * Every replica runs it on a timer; a Redis lock lets one run at a time. Tenant by tenant: records waiting in
 * Redis are written; calls with no step for CALL_SWEEP_IDLE_SECONDS are looked up at Twilio with the tenant's
 * credentials; over, they are closed with Twilio's status and duration (record written, session ended, off the
 * active list); still going, they are left alone and asked about again an idle period later. When Twilio
 * cannot tell, the call is closed as `unknown-<reason>` after CALL_SWEEP_GIVE_UP_SECONDS (unreachable: after
 * Twilio's 4-hour call limit). Each log line is about one tenant.
 */
@Injectable()
export class CallSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CallSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly sessions: CallSessionStore,
    private readonly outbox: CallRecordOutbox,
    private readonly ending: CallEnding,
    private readonly settings: TenantVoiceSettings,
    private readonly tenants: TenantDirectory,
    private readonly campaignAttempts: SweptCampaignAttempt,
    @Inject(TELEPHONY_PORT) private readonly telephony: TelephonyPort,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = this.config.CALL_SWEEP_INTERVAL_SECONDS * 1000;
    if (everyMs === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweepOnce()
        .catch((error: unknown) => this.logger.error(`call sweep failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.running = undefined));
    }, everyMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep over every tenant, if no other replica is sweeping. `now` is the sweeper's clock (tests move it). */
  async sweepOnce(now: Date = new Date()): Promise<SweepReport> {
    const report: SweepReport = { ran: false, tenants: 0, recordsWritten: 0, closed: 0, leftLive: 0, failedTenants: 0 };
    const lockKey = `rf:sweeper:{${this.config.QUEUE_NAMESPACE}}:lock`;
    const token = randomUUID();
    if ((await this.redis.set(lockKey, token, 'PX', sweepBounds.lockMs, 'NX')) !== 'OK') return report;
    report.ran = true;
    const stopTakingAt = Date.now() + sweepBounds.lockMs / 2;
    try {
      let after: TenantId | null = null;
      for (;;) {
        const page = await this.tenants.page(after, sweepBounds.tenantPage);
        for (const tenantId of await this.withWork(page, now)) {
          if (Date.now() > stopTakingAt) return report;
          report.tenants++;
          await this.sweepTenant(tenantId, now, report, stopTakingAt).catch((error: unknown) => {
            report.failedTenants++;
            this.logger.warn(`tenant ${tenantId}: call sweep failed, next run tries again: ${error instanceof Error ? error.message : String(error)}`);
          });
        }
        if (page.length < sweepBounds.tenantPage) return report;
        after = page[page.length - 1];
      }
    } finally {
      await this.redis.eval(releaseScript, 1, lockKey, token).catch(() => undefined);
    }
  }

  /** The tenants of a page with records waiting or calls that may be idle (two Redis reads per tenant, pipelined). */
  private async withWork(page: TenantId[], now: Date): Promise<TenantId[]> {
    if (page.length === 0) return [];
    const idleBefore = now.getTime() - this.idleMs();
    const pipeline = this.redis.pipeline();
    for (const tenantId of page) {
      pipeline.zcard(pendingCallRecordsKey(tenantId));
      pipeline.zcount(activeCallsKey(tenantId), '-inf', idleBefore);
    }
    const replies = (await pipeline.exec()) ?? [];
    return page.filter((_, i) => Number(replies[2 * i]?.[1] ?? 0) > 0 || Number(replies[2 * i + 1]?.[1] ?? 0) > 0);
  }

  private async sweepTenant(tenantId: TenantId, now: Date, report: SweepReport, stopTakingAt: number): Promise<void> {
    // A backlog after a long outage is written batch after batch while the run's budget lasts.
    const drained = await this.outbox.drain(tenantId, sweepBounds.recordsPerBatch);
    for (let batch = drained; !batch.error && batch.written + batch.alreadyWritten + batch.expired.length === sweepBounds.recordsPerBatch && Date.now() < stopTakingAt;) {
      batch = await this.outbox.drain(tenantId, sweepBounds.recordsPerBatch);
      drained.written += batch.written;
      drained.alreadyWritten += batch.alreadyWritten;
      drained.expired.push(...batch.expired);
      drained.error = batch.error;
    }
    report.recordsWritten += drained.written;
    if (drained.written + drained.alreadyWritten > 0) {
      this.logger.log(`tenant ${tenantId}: ${drained.written} waiting call record(s) written (${drained.alreadyWritten} already were)`);
    }
    if (drained.expired.length > 0) this.logger.error(`tenant ${tenantId}: call record(s) lost after waiting 7 days for Postgres: ${drained.expired.join(', ')}`);
    if (drained.error) this.logger.warn(`tenant ${tenantId}: waiting call records still refused by Postgres: ${drained.error}`);

    const idle = await this.idleCalls(tenantId, now);
    if (idle.length === 0) return;
    const settings = await this.settings.get(tenantId);
    for (const stored of idle) {
      if (Date.now() > stopTakingAt) return;
      const callSid = stored.session.callSid;
      const answer: TwilioAnswer = settings
        ? await this.telephony.fetchCall({ accountSid: settings.accountSid, authToken: settings.authToken }, callSid).then((info) => ({ info }), (error: unknown) => ({ error }))
        : undefined;
      const idleMs = now.getTime() - Date.parse(stored.session.updatedAt);
      const verdict = sweepVerdict(answer, idleMs, this.config.CALL_SWEEP_GIVE_UP_SECONDS * 1000);
      if (verdict.kind === 'live' || verdict.kind === 'unknown') {
        report.leftLive++;
        await this.redis.set(this.checkedKey(tenantId, callSid), String(now.getTime()), 'PX', 2 * this.idleMs());
        if (verdict.kind === 'unknown') this.logger.warn(`tenant ${tenantId} call ${callSid}: idle, Twilio cannot tell how it stands (${verdict.detail}); asked again later`);
        continue;
      }
      const session = stored.session;
      const startedAt = Date.parse(session.startedAt);
      const end = verdict.kind === 'over'
        ? {
          outcome: verdict.info.status,
          durationSeconds: verdict.info.durationSeconds ?? 0,
          // Twilio counts the duration from the answer, which is when the session began.
          endedAt: verdict.info.durationSeconds === null ? now : new Date(startedAt + verdict.info.durationSeconds * 1000),
        }
        : { outcome: `unknown-${verdict.reason}`, durationSeconds: Math.max(0, Math.round((Date.parse(session.updatedAt) - startedAt) / 1000)), endedAt: new Date(session.updatedAt) };
      const write = await this.ending.end(
        tenantId,
        { callSid, from: session.system.caller, to: session.system.called, direction: session.system.direction === 'outbound' ? 'outbound' : 'inbound', ...end },
        stored,
      );
      report.closed++;
      this.logger.log(`tenant ${tenantId} call ${callSid}: closed by the sweeper as ${end.outcome} (${verdict.kind === 'over' ? "Twilio's status" : verdict.detail}), ${describeWrite(write)}`);
      if (verdict.kind === 'over' && session.system.direction === 'outbound') {
        const attempt = await this.campaignAttempts.record(tenantId, callSid, verdict.info);
        if (attempt) this.logger.log(`tenant ${tenantId} call ${callSid}: ${attempt}`);
      }
    }
  }

  /** The tenant's calls with no step for the idle period and not asked about within it, oldest first, bounded. */
  private async idleCalls(tenantId: TenantId, now: Date): Promise<StoredSession[]> {
    const idleBefore = now.getTime() - this.idleMs();
    const sids = await this.redis.zrangebyscore(activeCallsKey(tenantId), '-inf', idleBefore, 'LIMIT', 0, sweepBounds.callsExaminedPerTenant);
    if (sids.length === 0) return [];
    const checked = await this.redis.mget(...sids.map((sid) => this.checkedKey(tenantId, sid)));
    const idle: StoredSession[] = [];
    for (const [i, sid] of sids.entries()) {
      if (idle.length >= sweepBounds.lookupsPerTenant) break;
      if (checked[i] !== null && Number(checked[i]) > idleBefore) continue;
      const stored = await this.sessions.load(tenantId, sid);
      if (stored && stored.session.endedAt === null && Date.parse(stored.session.updatedAt) <= idleBefore) idle.push(stored);
    }
    return idle;
  }

  private idleMs(): number {
    return this.config.CALL_SWEEP_IDLE_SECONDS * 1000;
  }

  private checkedKey(tenantId: TenantId, callSid: string): string {
    return `rf:{${tenantId}}:sweeper:checked:${callSid}`;
  }
}
