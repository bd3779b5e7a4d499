import type { TenantDatabase, TenantId } from '@ringflow/tenancy';
import type { EntityManager } from 'typeorm';
import type { DialPacer, PaceLimits } from '../pacing/dial-pacer';
import type { Clock } from '../pacing/clock';
import { afterAttempt } from './campaign-outcomes';
import type { CampaignQueues } from './campaign-queues';
import type { AttemptOutcome, Campaign, Disposition } from './campaign-settings';
import { DEFAULT_DIALING_LIMITS, type CampaignsService } from './campaigns.service';

/** Everything a dial needs, read in one transaction at dial time. */
export interface DialContext {
  campaign: Campaign;
  contact: { phone: string; timeZone: string | null; state: 'pending' | 'in-call' | 'done'; attempts: number };
  optedOut: boolean;
  tenantTimeZone: string;
  tenantLimits: PaceLimits;
}

export type BeginResult =
  | { kind: 'dial'; attemptId: string }
  /** The attempt's row says a dial started and never finished (a worker died): the call may or may not exist. */
  | { kind: 'uncertain'; attemptId: string; createdAt: Date }
  | { kind: 'already-done' }
  /** Paused, cancelled or closed since the dial's checks: nothing is dialed. */
  | { kind: 'stopped' };

export type OutcomeResult = { kind: 'replayed' } | { kind: 'retry'; attempt: number; delaySeconds: number } | { kind: 'final'; disposition: AttemptOutcome };

/** The pacing key of one attempt: its in-flight lease and dial-log entry. */
export const attemptKey = (campaignId: string, contactId: string, attempt: number) => `${campaignId}/${contactId}/${attempt}`;

/**
 * Attempts of a campaign: written before the call is placed (so a dial happens at most once per attempt,
 * even across crashes), reconciled with the call's outcome, then retried or closed per the campaign.
 */
export class CampaignAttemptsService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly campaigns: CampaignsService,
    private readonly queues: CampaignQueues,
    private readonly pacer: DialPacer,
    private readonly clock: Clock,
  ) {}

  async dialContext(tenantId: TenantId, campaignId: string, contactId: string): Promise<DialContext | null> {
    return this.db.run(tenantId, async (em) => {
      const campaign = await this.campaigns.find(em, tenantId, campaignId);
      if (!campaign) return null;
      const [row] = await em.query(
        `SELECT c.phone, c.time_zone, cc.state, cc.attempts, t.time_zone AS tenant_zone, l.calls_per_second, l.max_concurrent_calls,
                EXISTS (SELECT 1 FROM opt_outs o WHERE o.tenant_id = $1 AND o.phone = c.phone) AS opted_out
           FROM campaign_contacts cc
           JOIN contacts c ON c.tenant_id = cc.tenant_id AND c.id = cc.contact_id
           JOIN tenants t ON t.id = cc.tenant_id
           LEFT JOIN dialing_limits l ON l.tenant_id = cc.tenant_id
          WHERE cc.tenant_id = $1 AND cc.campaign_id = $2 AND cc.contact_id = $3`,
        [tenantId, campaignId, contactId],
      );
      if (!row) return null;
      return {
        campaign,
        contact: { phone: row.phone, timeZone: row.time_zone, state: row.state, attempts: row.attempts },
        optedOut: row.opted_out,
        tenantTimeZone: row.tenant_zone,
        tenantLimits: row.calls_per_second
          ? { callsPerSecond: row.calls_per_second, maxConcurrentCalls: row.max_concurrent_calls }
          : DEFAULT_DIALING_LIMITS,
      };
    });
  }

  /** Records the attempt before any call is placed; only one caller ever gets `dial` for an attempt. */
  async begin(tenantId: TenantId, campaignId: string, contactId: string, attempt: number): Promise<BeginResult> {
    return this.db.run(tenantId, async (em) => {
      // Locked against a concurrent pause or cancel: either this dial is recorded first, or it sees them.
      const [current] = await em.query(
        `SELECT cc.state, c.status FROM campaign_contacts cc JOIN campaigns c ON c.tenant_id = cc.tenant_id AND c.id = cc.campaign_id
          WHERE cc.tenant_id = $1 AND cc.campaign_id = $2 AND cc.contact_id = $3 FOR UPDATE OF cc FOR SHARE OF c`,
        [tenantId, campaignId, contactId],
      );
      if (!current || current.status !== 'running' || current.state === 'done') return { kind: 'stopped' };
      const inserted: Array<{ id: string }> = await em.query(
        `INSERT INTO campaign_attempts (tenant_id, campaign_id, contact_id, attempt) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT campaign_attempts_once DO NOTHING RETURNING id`,
        [tenantId, campaignId, contactId, attempt],
      );
      let result: BeginResult;
      if (inserted.length) {
        result = { kind: 'dial', attemptId: inserted[0].id };
      } else {
        const [existing] = await em.query(
          `SELECT id, status, created_at FROM campaign_attempts WHERE tenant_id = $1 AND campaign_id = $2 AND contact_id = $3 AND attempt = $4 FOR UPDATE`,
          [tenantId, campaignId, contactId, attempt],
        );
        if (existing.status === 'not-placed') {
          await em.query(`UPDATE campaign_attempts SET status = 'dialing' WHERE tenant_id = $1 AND id = $2`, [tenantId, existing.id]);
          result = { kind: 'dial', attemptId: existing.id };
        } else if (existing.status === 'dialing') {
          result = { kind: 'uncertain', attemptId: existing.id, createdAt: new Date(existing.created_at) };
        } else {
          return { kind: 'already-done' };
        }
      }
      await em.query(
        `UPDATE campaign_contacts SET state = 'in-call', attempts = $4, next_attempt_at = NULL, updated_at = now()
         WHERE tenant_id = $1 AND campaign_id = $2 AND contact_id = $3 AND state <> 'done'`,
        [tenantId, campaignId, contactId, attempt],
      );
      return result;
    });
  }

  async placed(tenantId: TenantId, attemptId: string, callSid: string): Promise<void> {
    await this.db.run(tenantId, (em) =>
      // The call's outcome may already be in (a fast call's status callback can beat this write).
      em.query(
        `UPDATE campaign_attempts SET status = CASE WHEN status = 'dialing' THEN 'placed' ELSE status END, call_sid = $3, placed_at = now()
         WHERE tenant_id = $1 AND id = $2 AND call_sid IS NULL`,
        [tenantId, attemptId, callSid],
      ),
    );
  }

  /** Twilio refused the call for now (429, network): the attempt was not used; the contact waits for its retry. */
  async notPlaced(tenantId: TenantId, attemptId: string, error: string): Promise<void> {
    await this.db.run(tenantId, async (em) => {
      const [rows] = await em.query(
        `UPDATE campaign_attempts SET status = 'not-placed', error = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'dialing'
         RETURNING campaign_id, contact_id, attempt`,
        [tenantId, attemptId, error.slice(0, 500)],
      );
      const row = rows[0];
      if (row) {
        await em.query(
          `UPDATE campaign_contacts SET state = 'pending', attempts = $4 - 1, updated_at = now()
           WHERE tenant_id = $1 AND campaign_id = $2 AND contact_id = $3 AND state = 'in-call'`,
          [tenantId, row.campaign_id, row.contact_id, row.attempt],
        );
      }
    });
  }

  /**
   * How an attempt's call ended (the gateway calls this from Twilio's status callback). Idempotent: a
   * replayed outcome changes nothing. Frees the in-flight lease, then queues the next attempt after the
   * campaign's delay for this outcome, or closes the contact with its disposition.
   */
  async recordOutcome(tenantId: TenantId, attemptId: string, outcome: AttemptOutcome, error?: string): Promise<OutcomeResult> {
    const done = await this.db.run(tenantId, async (em) => {
      const [rows] = await em.query(
        `UPDATE campaign_attempts SET status = 'ended', outcome = $3, ended_at = now(), error = COALESCE($4, error)
         WHERE tenant_id = $1 AND id = $2 AND status IN ('dialing', 'placed') RETURNING campaign_id, contact_id, attempt`,
        [tenantId, attemptId, outcome, error ?? null],
      );
      const row = rows[0];
      if (!row) return null;
      const campaign = await this.campaigns.load(em, tenantId, row.campaign_id);
      const next = afterAttempt(campaign, row.attempt, outcome);
      if (next.kind === 'retry') {
        await em.query(
          `UPDATE campaign_contacts SET state = 'pending', next_attempt_at = $4::timestamptz + make_interval(secs => $5), updated_at = now()
           WHERE tenant_id = $1 AND campaign_id = $2 AND contact_id = $3 AND state <> 'done'`,
          [tenantId, row.campaign_id, row.contact_id, this.clock(), next.delaySeconds],
        );
      } else {
        await this.closeContact(em, tenantId, row.campaign_id, row.contact_id, next.disposition);
      }
      return { row, next, status: campaign.status };
    });
    if (!done) return { kind: 'replayed' };
    const { row, next, status } = done;
    await this.pacer.release(tenantId, row.campaign_id, attemptKey(row.campaign_id, row.contact_id, row.attempt));
    if (next.kind === 'retry' && status === 'running') {
      await this.queues.enqueueDials([
        { data: { tenantId, campaignId: row.campaign_id, contactId: row.contact_id, attempt: next.attempt }, delayMs: next.delaySeconds * 1000 },
      ]);
    }
    return next;
  }

  /** Closes a contact without (another) call, e.g. it opted out since the campaign began. */
  async dispose(tenantId: TenantId, campaignId: string, contactId: string, disposition: Disposition): Promise<void> {
    await this.db.run(tenantId, (em) => this.closeContact(em, tenantId, campaignId, contactId, disposition));
  }

  private async closeContact(em: EntityManager, tenantId: TenantId, campaignId: string, contactId: string, disposition: Disposition): Promise<void> {
    // One closer at a time per campaign, so the last two contacts closing together still complete it.
    await em.query(`SELECT 1 FROM campaigns WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, campaignId]);
    await em.query(
      `UPDATE campaign_contacts SET state = 'done', disposition = $4, next_attempt_at = NULL, updated_at = now()
       WHERE tenant_id = $1 AND campaign_id = $2 AND contact_id = $3 AND state <> 'done'`,
      [tenantId, campaignId, contactId, disposition],
    );
    await this.campaigns.completeIfDone(em, tenantId, campaignId);
  }
}
