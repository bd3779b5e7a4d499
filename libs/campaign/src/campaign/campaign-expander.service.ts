import type { TenantDatabase, TenantId } from '@ringflow/tenancy';
import { DEFAULT_DIALING_LIMITS, type CampaignsService } from './campaigns.service';
import type { CampaignQueues, DialJobRequest } from './campaign-queues';
import type { Clock } from '../pacing/clock';

export interface ExpansionOptions {
  /** Contacts per page. */
  pageSize?: number;
  /**
   * How long before its expected slot a dial comes due (default 300): under the dial's in-process wait (400 ms), so
   * a dial on time waits for its slot in the process instead of going back to the queue, and early enough that one
   * is always waiting when a slot opens (a slot nobody takes is lost).
   */
  leadMs?: number;
}

/** Where the pacer stands: how far ahead the campaign's dial slots are given out, and the slack in their spacing (DialPacer). */
export interface DialSchedule {
  schedule(tenantId: string, campaignId: string): Promise<{ aheadMs: number; slackMs: number }>;
}

export interface ExpandedPage {
  enqueued: number;
  /** Where the next page starts, or null when the audience is exhausted (or the campaign is not running). */
  nextAfterSeq: number | null;
  /** When to expand the next page, so dials are queued a little ahead of the pace and no more. */
  nextInMs: number;
}

/** A page of dial jobs read from the audience, not yet queued. */
export interface ReadPage extends ExpandedPage {
  jobs: DialJobRequest[];
}

/**
 * Turns a running campaign's audience into dial jobs, a page at a time, for contacts still pending.
 * Job ids are (tenant, campaign, contact, attempt): expanding twice queues nothing twice, and a contact
 * already called is no longer pending. Dials in a page are spread at the campaign's pace.
 */
export class CampaignExpander {
  private readonly pageSize: number;
  private readonly leadMs: number;

  constructor(
    private readonly db: TenantDatabase,
    private readonly campaigns: CampaignsService,
    private readonly queues: CampaignQueues,
    private readonly clock: Clock,
    options: ExpansionOptions = {},
    /** The pacer, so a page's dials follow the slots it will give (without one, as if no slot were given out yet). */
    private readonly pacer?: DialSchedule,
  ) {
    this.pageSize = options.pageSize ?? 1000;
    this.leadMs = options.leadMs ?? 300;
  }

  async expandPage(tenantId: TenantId, campaignId: string, afterSeq: number): Promise<ExpandedPage> {
    return this.enqueuePage(await this.readPage(tenantId, campaignId, afterSeq));
  }

  /**
   * The pending contacts after `afterSeq` as dial jobs, not yet queued: a caller that expands page after
   * page back to back may read the next page while this one is being queued (`enqueuePage`).
   */
  async readPage(tenantId: TenantId, campaignId: string, afterSeq: number): Promise<ReadPage> {
    const page = await this.db.run(tenantId, async (em) => {
      let campaign = await this.campaigns.load(em, tenantId, campaignId);
      // The expansion job was delayed to the scheduled time on Redis's real clock, so compare with real time.
      if (campaign.status === 'scheduled' && campaign.scheduledAt && campaign.scheduledAt.getTime() <= Date.now() + 50) {
        campaign = await this.campaigns.transitionIn(em, tenantId, campaignId, 'launch', 'scheduler');
      }
      if (campaign.status !== 'running') return null;
      const [limits] = await em.query(`SELECT calls_per_second, max_concurrent_calls FROM dialing_limits WHERE tenant_id = $1`, [tenantId]);
      const pace = Math.min(campaign.callsPerSecond, limits?.calls_per_second ?? DEFAULT_DIALING_LIMITS.callsPerSecond);
      // Keyset on (tenant, campaign, seq): the unique index's order, so a page costs its own rows only.
      const rows: Array<{ contact_id: string; seq: number; attempts: number; wait_ms: number }> = await em.query(
        `SELECT contact_id, seq, attempts, GREATEST(0, EXTRACT(EPOCH FROM (next_attempt_at - $4::timestamptz)) * 1000)::float8 AS wait_ms
           FROM campaign_contacts WHERE tenant_id = $1 AND campaign_id = $2 AND state = 'pending' AND seq > $3
          ORDER BY seq LIMIT $5`,
        [tenantId, campaignId, afterSeq, this.clock(), this.pageSize],
      );
      if (rows.length < this.pageSize) await this.campaigns.completeIfDone(em, tenantId, campaignId);
      return { rows, pace };
    });
    if (!page) return { enqueued: 0, nextAfterSeq: null, nextInMs: 0, jobs: [] };
    // Each dial comes due `leadMs` before the slot it should get: after the slots already given out, one per
    // (1000 + slack) / pace ms, as the pacer spaces them. Dials queued faster would pile up and go back and forth
    // to the queue (a Postgres read and a pacer call each time); the pacer, not this spread, keeps the rate. The
    // next page is read as this page's last dial comes due and starts after the slots given out by then, so no
    // backlog builds up across pages.
    const { rows, pace } = page;
    const { aheadMs, slackMs } = this.pacer ? await this.pacer.schedule(tenantId, campaignId) : { aheadMs: 0, slackMs: 0 };
    const dueIn = (i: number) => Math.max(0, aheadMs + (i * (1000 + slackMs)) / pace - this.leadMs);
    const full = rows.length === this.pageSize;
    return {
      enqueued: rows.length,
      nextAfterSeq: full ? rows[rows.length - 1].seq : null,
      nextInMs: full ? dueIn(rows.length - 1) : 0,
      jobs: rows.map((row, i) => ({
        data: { tenantId, campaignId, contactId: row.contact_id, attempt: row.attempts + 1 },
        delayMs: Math.max(Number(row.wait_ms ?? 0), dueIn(i)),
      })),
    };
  }

  /** Queues a page read by `readPage`; its job ids make queuing it twice a no-op. */
  async enqueuePage(page: ReadPage): Promise<ExpandedPage> {
    await this.queues.enqueueDials(page.jobs);
    return { enqueued: page.enqueued, nextAfterSeq: page.nextAfterSeq, nextInMs: page.nextInMs };
  }

  /** One page, then the next page's expansion queued at the pace: what the expansion job runs. */
  async expandAndChain(tenantId: TenantId, campaignId: string, afterSeq: number): Promise<ExpandedPage> {
    const page = await this.expandPage(tenantId, campaignId, afterSeq);
    if (page.nextAfterSeq !== null) await this.queues.enqueueExpansion(tenantId, campaignId, page.nextAfterSeq, page.nextInMs);
    return page;
  }
}
