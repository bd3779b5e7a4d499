import { audit, TenantDatabase, type TenantId } from '@ringflow/tenancy';
import type { EntityManager } from 'typeorm';
import { lockMessage } from '../coupon/coupon-sms-transition';

/** What Twilio's MessageStatus means for a campaign message; statuses before `sent` change nothing. */
const TWILIO_STATUSES: Record<string, 'sent' | 'delivered' | 'failed'> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Twilio's opt-out keywords (a reply of only one of them, any case). */
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
/** Twilio's opt-in keywords: they undo a STOP (Twilio lifts its own block on the same words). */
const START_WORDS = new Set(['START', 'UNSTOP', 'YES']);

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** A message claimed for sending, with what the send needs (the phone stays in memory, never in a job). */
export interface ClaimedSmsCampaignMessage {
  kind: 'send';
  campaignId: string;
  phone: string;
  contactName: string | null;
  contactAttributes: Record<string, unknown>;
  sender: string;
  template: string;
  messagesPerSecond: number;
}

export type SmsCampaignClaim =
  | ClaimedSmsCampaignMessage
  /** Already sent or closed (opted out, cancelled, failed): nothing to do. */
  | { kind: 'done' }
  /** Another run holds it: come back in `retryInMs`. */
  | { kind: 'busy'; retryInMs: number };

/** Whether a reply is an opt-out keyword. */
export function isStopReply(body: string): boolean {
  return STOP_WORDS.has(body.trim().toUpperCase());
}

/** Whether a reply is an opt-in keyword (START, UNSTOP, YES). */
export function isStartReply(body: string): boolean {
  return START_WORDS.has(body.trim().toUpperCase());
}

/**
 * The messages of SMS campaigns: claimed by worker-sms at send time (an opted-out number, or a campaign no
 * longer running, closes the message instead), their SIDs and delivery statuses, and STOP replies.
 */
export class SmsCampaignMessages {
  constructor(private readonly db: TenantDatabase) {}

  /** What the send needs, without claiming: a message not pending, or closed at this check, is `done`. */
  async peek(tenantId: TenantId, messageId: string): Promise<{ sender: string; messagesPerSecond: number } | null> {
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT c.caller_id, c.messages_per_second FROM sms_campaign_messages m JOIN campaigns c ON c.tenant_id = m.tenant_id AND c.id = m.campaign_id
          WHERE m.tenant_id = $1 AND m.id = $2 AND m.status IN ('pending', 'sending') AND c.status = 'running'`,
        [tenantId, messageId],
      ),
    );
    return row ? { sender: row.caller_id, messagesPerSecond: row.messages_per_second } : null;
  }

  /**
   * Claims a pending message (or one whose claim is older than `claimMs`). An opted-out number closes it as
   * `opted-out`, a campaign no longer running as `cancelled`; both are checked here, at send time.
   */
  async claim(tenantId: TenantId, messageId: string, claimMs: number): Promise<SmsCampaignClaim> {
    return this.db.run(tenantId, async (em) => {
      const [row] = await em.query(
        `SELECT m.status, m.campaign_id, m.claimed_at, c.status AS campaign_status, c.caller_id, c.message_template, c.messages_per_second,
                k.phone, k.name, k.attributes, EXISTS (SELECT 1 FROM opt_outs o WHERE o.tenant_id = m.tenant_id AND o.phone = k.phone) AS opted_out,
                (extract(epoch FROM (now() - m.claimed_at)) * 1000)::bigint AS claimed_ms_ago
           FROM sms_campaign_messages m
           JOIN campaigns c ON c.tenant_id = m.tenant_id AND c.id = m.campaign_id
           JOIN contacts k ON k.tenant_id = m.tenant_id AND k.id = m.contact_id
          WHERE m.tenant_id = $1 AND m.id = $2 FOR UPDATE OF m`,
        [tenantId, messageId],
      );
      if (!row || !['pending', 'sending'].includes(row.status)) return { kind: 'done' };
      if (row.status === 'sending' && Number(row.claimed_ms_ago) < claimMs) return { kind: 'busy', retryInMs: claimMs - Number(row.claimed_ms_ago) + 50 };
      // A paused campaign keeps its messages pending: they are looked at again later.
      if (row.campaign_status === 'paused' && !row.opted_out) return { kind: 'busy', retryInMs: 5000 };
      const close = row.opted_out ? 'opted-out' : row.campaign_status !== 'running' ? 'cancelled' : null;
      if (close) {
        await this.update(em, tenantId, messageId, `status = $3`, [close]);
        await this.completeIfDone(em, tenantId, row.campaign_id);
        return { kind: 'done' };
      }
      await this.update(em, tenantId, messageId, `status = 'sending', claimed_at = now()`, []);
      return {
        kind: 'send',
        campaignId: row.campaign_id,
        phone: row.phone,
        contactName: row.name,
        contactAttributes: row.attributes ?? {},
        sender: row.caller_id,
        template: row.message_template,
        messagesPerSecond: row.messages_per_second,
      };
    });
  }

  /** Twilio refused for now: the message is pending again (a retry claims it). */
  async release(tenantId: TenantId, messageId: string, code: string): Promise<void> {
    await this.db.run(tenantId, (em) => this.update(em, tenantId, messageId, `status = 'pending', claimed_at = NULL, error_code = $3`, [code.slice(0, 64)], `status = 'sending'`));
  }

  /** Twilio accepted it: the SID, then any status Twilio reported before the SID was written here. */
  async recordSent(tenantId: TenantId, messageId: string, messageSid: string): Promise<void> {
    await this.db.run(tenantId, async (em) => {
      // The same per-SID lock as the status callbacks: a status is either seen here or finds this SID.
      await lockMessage(em, tenantId, messageSid);
      const [rows] = await em.query(
        `UPDATE sms_campaign_messages SET status = 'sent', message_sid = $3, error_code = NULL, sent_at = now(), updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND status IN ('pending', 'sending') RETURNING campaign_id`,
        [tenantId, messageId, messageSid],
      );
      const [early] = await em.query(`SELECT status, error_code FROM sms_message_statuses WHERE tenant_id = $1 AND message_sid = $2`, [tenantId, messageSid]);
      if (early) await this.advance(em, tenantId, messageSid, early.status, early.error_code);
      if (rows[0]) await this.completeIfDone(em, tenantId, rows[0].campaign_id);
    });
  }

  /** Refused for good (or the last try): `failed` with Twilio's code, or `opted-out` for 21610 (the number is added to the opt-out list). */
  async recordFailed(tenantId: TenantId, messageId: string, code: string): Promise<void> {
    await this.db.run(tenantId, async (em) => {
      const status = code === '21610' ? 'opted-out' : 'failed';
      const [rows] = await em.query(
        `UPDATE sms_campaign_messages SET status = $3, error_code = $4, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND status IN ('pending', 'sending') RETURNING campaign_id, contact_id`,
        [tenantId, messageId, status, code.slice(0, 64)],
      );
      if (!rows[0]) return;
      if (status === 'opted-out') {
        await em.query(
          `INSERT INTO opt_outs (tenant_id, phone, source) SELECT $1, phone, 'sms-stop' FROM contacts WHERE tenant_id = $1 AND id = $2 ON CONFLICT DO NOTHING`,
          [tenantId, rows[0].contact_id],
        );
      }
      await this.completeIfDone(em, tenantId, rows[0].campaign_id);
    });
  }

  /** A delivery status callback for a campaign message's SID: forward only. False when no campaign message has the SID. */
  async recordStatus(tenantId: TenantId, messageSid: string, twilioStatus: string, errorCode?: string | null): Promise<boolean> {
    const status = TWILIO_STATUSES[twilioStatus];
    return this.db.run(tenantId, async (em) => {
      await lockMessage(em, tenantId, messageSid);
      const [found] = await em.query(`SELECT 1 FROM sms_campaign_messages WHERE tenant_id = $1 AND message_sid = $2`, [tenantId, messageSid]);
      if (!found) return false;
      if (status) await this.advance(em, tenantId, messageSid, status, status === 'failed' ? (errorCode && /^\d{1,10}$/.test(errorCode) ? errorCode : twilioStatus) : null);
      return true;
    });
  }

  /** A STOP reply from `phone`: the number joins the tenant's opt-out list (audited); no further campaign message is sent to it. */
  async optOutByReply(tenantId: TenantId, phone: string): Promise<boolean> {
    if (!E164.test(phone)) return false;
    return this.db.run(tenantId, async (em) => {
      const rows = await em.query(`INSERT INTO opt_outs (tenant_id, phone, source) VALUES ($1, $2, 'sms-stop') ON CONFLICT DO NOTHING RETURNING 1`, [tenantId, phone]);
      if (rows.length) await audit(em, tenantId, { actor: 'sms-reply', action: 'opt-out.add', targetType: 'opt-out', details: { source: 'sms-stop' } });
      return true;
    });
  }

  /**
   * A START (UNSTOP, YES) reply from `phone`: the opt-out its STOP reply made is lifted (audited). Entries
   * made another way (the tenant's own do-not-call list, a key press in a call) stay: a text does not undo them.
   */
  async optInByReply(tenantId: TenantId, phone: string): Promise<boolean> {
    if (!E164.test(phone)) return false;
    return this.db.run(tenantId, async (em) => {
      const [rows] = await em.query(`DELETE FROM opt_outs WHERE tenant_id = $1 AND phone = $2 AND source = 'sms-stop' RETURNING 1`, [tenantId, phone]);
      if (rows.length) await audit(em, tenantId, { actor: 'sms-reply', action: 'opt-out.remove', targetType: 'opt-out', details: { source: 'sms-start' } });
      return rows.length > 0;
    });
  }

  private async advance(em: EntityManager, tenantId: TenantId, messageSid: string, status: string, code: string | null): Promise<void> {
    const rank = `CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'failed' THEN 2 ELSE 0 END`;
    await em.query(
      `UPDATE sms_campaign_messages SET status = $3, error_code = $4, updated_at = now()
        WHERE tenant_id = $1 AND message_sid = $2 AND status IN ('sent', 'delivered', 'failed')
          AND ${rank} < (CASE $3::text WHEN 'sent' THEN 1 ELSE 2 END)`,
      [tenantId, messageSid, status, code],
    );
  }

  private async update(em: EntityManager, tenantId: TenantId, messageId: string, set: string, params: unknown[], where = 'true'): Promise<void> {
    await em.query(`UPDATE sms_campaign_messages SET ${set}, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND ${where}`, [tenantId, messageId, ...params]);
  }

  /** The campaign is COMPLETED once no message is left to send. */
  private async completeIfDone(em: EntityManager, tenantId: TenantId, campaignId: string): Promise<void> {
    // One closer at a time per campaign (each has already closed its own message): the last two messages
    // closing together would otherwise each see the other still open, and the campaign would never complete.
    await em.query(`SELECT 1 FROM campaigns WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, campaignId]);
    await em.query(
      `UPDATE campaigns SET status = 'completed', finished_at = now(), updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND kind = 'sms' AND status = 'running'
          AND NOT EXISTS (SELECT 1 FROM sms_campaign_messages WHERE tenant_id = $1 AND campaign_id = $2 AND status IN ('pending', 'sending'))`,
      [tenantId, campaignId],
    );
  }
}
