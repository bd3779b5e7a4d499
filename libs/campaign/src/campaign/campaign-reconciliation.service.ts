import type { TenantDatabase, TenantId } from '@ringflow/tenancy';
import type { Clock } from '../pacing/clock';

/** An attempt begun or placed a while ago that has no outcome yet: its status callback may be lost. */
export interface UnsettledAttempt {
  attemptId: string;
  campaignId: string;
  contactId: string;
  attempt: number;
  status: 'dialing' | 'placed';
  callSid: string | null;
  createdAt: Date;
  phone: string;
  callerId: string;
}

/** A running campaign's contacts due for a dial now (pending, no retry delay left), first ones by sequence. */
export interface DueContacts {
  campaignId: string;
  contacts: Array<{ contactId: string; attempt: number }>;
}

/**
 * The reads a reconciler needs, one tenant at a time: attempts without an outcome past a bound, running
 * campaigns with contacts due for a dial, and which call SIDs already belong to an attempt.
 */
export class CampaignReconciliationService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly clock: Clock,
  ) {}

  /**
   * Up to `limit` attempts begun before `before` (placed ones by their placing time) without an outcome and not found
   * still going since `before`: never checked first, then oldest first.
   */
  async unsettledAttempts(tenantId: TenantId, before: Date, limit: number): Promise<UnsettledAttempt[]> {
    const rows: Array<Record<string, any>> = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT a.id, a.campaign_id, a.contact_id, a.attempt, a.status, a.call_sid, a.created_at, c.phone, k.caller_id
           FROM campaign_attempts a
           JOIN contacts c ON c.tenant_id = a.tenant_id AND c.id = a.contact_id
           JOIN campaigns k ON k.tenant_id = a.tenant_id AND k.id = a.campaign_id
          WHERE a.tenant_id = $1 AND a.status IN ('dialing', 'placed') AND COALESCE(a.placed_at, a.created_at) < $2
            AND (a.checked_at IS NULL OR a.checked_at < $2)
          ORDER BY a.checked_at NULLS FIRST, a.created_at LIMIT $3`,
        [tenantId, before, limit],
      ),
    );
    return rows.map((r) => ({
      attemptId: r.id,
      campaignId: r.campaign_id,
      contactId: r.contact_id,
      attempt: r.attempt,
      status: r.status,
      callSid: r.call_sid,
      createdAt: new Date(r.created_at),
      phone: r.phone,
      callerId: r.caller_id,
    }));
  }

  /** Notes that the attempt's call was still going: it is asked about again after the bound, others first. */
  async markChecked(tenantId: TenantId, attemptId: string): Promise<void> {
    await this.db.run(tenantId, (em) => em.query(`UPDATE campaign_attempts SET checked_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, attemptId]));
  }

  /** The call SIDs among `sids` that an attempt of the tenant already holds. */
  async recordedCallSids(tenantId: TenantId, sids: string[]): Promise<Set<string>> {
    if (!sids.length) return new Set();
    const rows: Array<{ call_sid: string }> = await this.db.run(tenantId, (em) =>
      em.query(`SELECT call_sid FROM campaign_attempts WHERE tenant_id = $1 AND call_sid = ANY($2::text[])`, [tenantId, sids]),
    );
    return new Set(rows.map((r) => r.call_sid));
  }

  /** Running campaigns (at most `campaigns`) with contacts due for a dial, each with its first `sample` such contacts. */
  async dueContacts(tenantId: TenantId, campaigns: number, sample: number): Promise<DueContacts[]> {
    const rows: Array<{ campaign_id: string; contact_id: string; attempts: number }> = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT k.id AS campaign_id, d.contact_id, d.attempts
           FROM (SELECT id FROM campaigns WHERE tenant_id = $1 AND status = 'running' ORDER BY id LIMIT $3) k
           CROSS JOIN LATERAL (
             SELECT cc.contact_id, cc.attempts FROM campaign_contacts cc
              WHERE cc.tenant_id = $1 AND cc.campaign_id = k.id AND cc.state = 'pending'
                AND (cc.next_attempt_at IS NULL OR cc.next_attempt_at <= $2::timestamptz)
              ORDER BY cc.seq LIMIT $4) d`,
        [tenantId, this.clock(), campaigns, sample],
      ),
    );
    const byCampaign = new Map<string, DueContacts>();
    for (const r of rows) {
      const entry = byCampaign.get(r.campaign_id) ?? { campaignId: r.campaign_id, contacts: [] };
      entry.contacts.push({ contactId: r.contact_id, attempt: r.attempts + 1 });
      byCampaign.set(r.campaign_id, entry);
    }
    return [...byCampaign.values()];
  }
}
