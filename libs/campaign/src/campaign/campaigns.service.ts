import { Injectable } from '@nestjs/common';
import { audit, TenancyException, TenantDatabase, type TenantId, toE164 } from '@ringflow/tenancy';
import type { EntityManager } from 'typeorm';
import type { PaceLimits } from '../pacing/dial-pacer';
import { CampaignException, CampaignExceptionCode } from './campaign.exception';
import { CAMPAIGN_COLUMNS, campaignFromRow } from './campaign-row';
import { type Campaign, type CreateCampaignCommand, validateCampaignSettings } from './campaign-settings';
import { type CampaignAction, nextCampaignStatus, statusesAllowing } from './campaign-status';

/** An audience this large gets the table's statistics refreshed at launch; a smaller one costs little to scan. */
const ANALYZE_AFTER_CONTACTS = 1000;

/** Limits a tenant dials under until an operator sets its own (Twilio's default account CPS is 1). */
export const DEFAULT_DIALING_LIMITS: PaceLimits = { callsPerSecond: 1, maxConcurrentCalls: 10 };

export interface CampaignProgress {
  status: Campaign['status'];
  contacts: number;
  /** Contacts by state: pending (waiting for a dial), in-call, done. */
  states: Record<string, number>;
  /** Finished contacts by disposition. */
  dispositions: Record<string, number>;
}

const notFound = (id: string) => new CampaignException(CampaignExceptionCode.NotFound, `campaign ${id} not found`, 'campaignId');

/** Campaigns in Postgres: settings, guarded lifecycle transitions, the audience snapshot and progress. */
@Injectable()
export class CampaignsService {
  constructor(private readonly db: TenantDatabase) {}

  async create(tenantId: TenantId, command: CreateCampaignCommand, actor: string): Promise<Campaign> {
    const settings = validateCampaignSettings(command);
    let callerId: string;
    try {
      callerId = toE164(command.callerId, 'callerId');
    } catch (error) {
      if (error instanceof TenancyException) throw new CampaignException(CampaignExceptionCode.InvalidInput, error.message, 'callerId');
      throw error;
    }
    return this.db.run(tenantId, async (em) => {
      const [list] = await em.query(`SELECT 1 FROM contact_lists WHERE tenant_id = $1 AND id = $2`, [tenantId, settings.listId]);
      if (!list) throw new CampaignException(CampaignExceptionCode.NotFound, `contact list ${settings.listId} not found`, 'listId');
      const answer = settings.answer;
      if (answer.kind === 'flow') {
        const [version] = await em.query(`SELECT 1 FROM flow_versions WHERE tenant_id = $1 AND flow_id = $2 AND version = $3`, [tenantId, answer.flowId, answer.flowVersion]);
        if (!version) throw new CampaignException(CampaignExceptionCode.NotFound, `flow ${answer.flowId} has no published version ${answer.flowVersion}`, 'answer.flowVersion');
      }
      const [row] = await em.query(
        `INSERT INTO campaigns (tenant_id, name, list_id, caller_id, flow_id, flow_version, answer_url, window_start_minute,
           window_end_minute, calls_per_second, max_concurrent_calls, max_attempts, retry_delays, machine_handling)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING ${CAMPAIGN_COLUMNS}`,
        [
          tenantId, settings.name, settings.listId, callerId,
          answer.kind === 'flow' ? answer.flowId : null, answer.kind === 'flow' ? answer.flowVersion : null, answer.kind === 'url' ? answer.url : null,
          settings.window.startMinute, settings.window.endMinute, settings.callsPerSecond, settings.maxConcurrentCalls,
          settings.maxAttempts, JSON.stringify(settings.retryDelays), settings.machineHandling,
        ],
      );
      await audit(em, tenantId, { actor, action: 'campaign.create', targetType: 'campaign', targetId: row.id, details: { name: settings.name } });
      return campaignFromRow(row);
    });
  }

  async get(tenantId: TenantId, campaignId: string): Promise<Campaign> {
    return this.db.run(tenantId, (em) => this.load(em, tenantId, campaignId));
  }

  async load(em: EntityManager, tenantId: TenantId, campaignId: string): Promise<Campaign> {
    const campaign = await this.find(em, tenantId, campaignId);
    if (!campaign) throw notFound(campaignId);
    return campaign;
  }

  async find(em: EntityManager, tenantId: TenantId, campaignId: string): Promise<Campaign | null> {
    const [row] = await em.query(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE tenant_id = $1 AND id = $2`, [tenantId, campaignId]);
    return row ? campaignFromRow(row) : null;
  }

  /**
   * Moves a campaign along its lifecycle with one guarded UPDATE, so two racing actions cannot both
   * win. Launching snapshots the list into the audience; cancelling closes every contact not yet called.
   */
  async transition(tenantId: TenantId, campaignId: string, action: CampaignAction, actor: string, scheduledAt?: Date): Promise<Campaign> {
    return this.db.run(tenantId, (em) => this.transitionIn(em, tenantId, campaignId, action, actor, scheduledAt));
  }

  async transitionIn(em: EntityManager, tenantId: TenantId, campaignId: string, action: CampaignAction, actor: string, scheduledAt?: Date): Promise<Campaign> {
    if (action === 'schedule' && !scheduledAt) throw new CampaignException(CampaignExceptionCode.InvalidInput, 'scheduledAt is required to schedule', 'scheduledAt');
    const current = await this.load(em, tenantId, campaignId);
    const next = nextCampaignStatus(current.status, action);
    const [rows] = await em.query(
      `UPDATE campaigns SET status = $3, updated_at = now(),
         scheduled_at = CASE WHEN $5::timestamptz IS NOT NULL THEN $5::timestamptz ELSE scheduled_at END,
         started_at = CASE WHEN $3 = 'running' THEN COALESCE(started_at, now()) ELSE started_at END,
         finished_at = CASE WHEN $3 IN ('completed', 'cancelled') THEN now() ELSE finished_at END
       WHERE tenant_id = $1 AND id = $2 AND status = ANY($4::text[]) RETURNING ${CAMPAIGN_COLUMNS}`,
      [tenantId, campaignId, next, statusesAllowing(action), scheduledAt ?? null],
    );
    if (!rows?.[0]) throw new CampaignException(CampaignExceptionCode.InvalidTransition, `campaign ${campaignId} changed while trying to ${action}; try again`, 'status');
    if (action === 'launch') {
      const [{ snapshotted }] = await em.query(
        `WITH snapshot AS (
           INSERT INTO campaign_contacts (tenant_id, campaign_id, contact_id, seq)
           SELECT m.tenant_id, $2, m.contact_id, row_number() OVER (ORDER BY m.added_at, m.contact_id)
             FROM contact_list_members m WHERE m.tenant_id = $1 AND m.list_id = $3
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS snapshotted FROM snapshot`,
        [tenantId, campaignId, current.listId],
      );
      // Statistics that know this audience, so each dial's one-contact lookups take the primary key (see the migration).
      if (snapshotted >= ANALYZE_AFTER_CONTACTS) await em.query(`SELECT ringflow_analyze_campaign_contacts()`);
    }
    if (action === 'cancel') {
      await em.query(
        `UPDATE campaign_contacts SET state = 'done', disposition = 'cancelled', updated_at = now()
         WHERE tenant_id = $1 AND campaign_id = $2 AND state = 'pending'`,
        [tenantId, campaignId],
      );
    }
    await audit(em, tenantId, { actor, action: `campaign.${action}`, targetType: 'campaign', targetId: campaignId, details: { from: current.status, to: next } });
    return campaignFromRow(rows[0]);
  }

  /** Completes a running call campaign once every contact of its audience has a disposition (an SMS campaign has no audience rows: SmsCampaignMessages completes it). */
  async completeIfDone(em: EntityManager, tenantId: TenantId, campaignId: string): Promise<boolean> {
    const [rows] = await em.query(
      `UPDATE campaigns c SET status = 'completed', finished_at = now(), updated_at = now()
       WHERE c.tenant_id = $1 AND c.id = $2 AND c.status = 'running' AND c.kind = 'call'
         AND NOT EXISTS (SELECT 1 FROM campaign_contacts cc WHERE cc.tenant_id = $1 AND cc.campaign_id = $2 AND cc.state <> 'done')
       RETURNING id`,
      [tenantId, campaignId],
    );
    if (rows?.length) await audit(em, tenantId, { actor: 'worker-calls', action: 'campaign.complete', targetType: 'campaign', targetId: campaignId });
    return Boolean(rows?.length);
  }

  async setDialingLimits(tenantId: TenantId, limits: PaceLimits, actor: string): Promise<void> {
    for (const [field, value, max] of [['callsPerSecond', limits.callsPerSecond, 1000], ['maxConcurrentCalls', limits.maxConcurrentCalls, 100_000]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > max) {
        throw new CampaignException(CampaignExceptionCode.InvalidInput, `${field} must be a whole number from 1 to ${max}, not ${value}`, field);
      }
    }
    await this.db.run(tenantId, async (em) => {
      await em.query(
        `INSERT INTO dialing_limits (tenant_id, calls_per_second, max_concurrent_calls) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET calls_per_second = $2, max_concurrent_calls = $3, updated_at = now()`,
        [tenantId, limits.callsPerSecond, limits.maxConcurrentCalls],
      );
      await audit(em, tenantId, { actor, action: 'dialing-limits.set', targetType: 'tenant', targetId: tenantId, details: { ...limits } });
    });
  }

  async progress(tenantId: TenantId, campaignId: string): Promise<CampaignProgress> {
    return this.db.run(tenantId, async (em) => {
      const campaign = await this.load(em, tenantId, campaignId);
      const rows: Array<{ state: string; disposition: string | null; n: string }> = await em.query(
        `SELECT state, disposition, count(*) AS n FROM campaign_contacts WHERE tenant_id = $1 AND campaign_id = $2 GROUP BY state, disposition`,
        [tenantId, campaignId],
      );
      const progress: CampaignProgress = { status: campaign.status, contacts: 0, states: {}, dispositions: {} };
      for (const row of rows) {
        const n = Number(row.n);
        progress.contacts += n;
        progress.states[row.state] = (progress.states[row.state] ?? 0) + n;
        if (row.disposition) progress.dispositions[row.disposition] = (progress.dispositions[row.disposition] ?? 0) + n;
      }
      return progress;
    });
  }
}
