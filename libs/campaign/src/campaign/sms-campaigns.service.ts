import { audit, TenancyException, TenantDatabase, type TenantId, toE164 } from '@ringflow/tenancy';
import { jobId, JobName, type JobPayload } from '@ringflow/queue';
import { CampaignException, CampaignExceptionCode } from './campaign.exception';
import type { CampaignQueues } from './campaign-queues';
import { smsCampaignTemplateProblem } from './sms-campaign-template';

export interface CreateSmsCampaignCommand {
  name: string;
  listId: string;
  /** One of the tenant's numbers. */
  senderNumber: string;
  template: string;
  messagesPerSecond: number;
}

export interface SmsCampaignProgress {
  contacts: number;
  pending: number;
  sent: number;
  delivered: number;
  failed: number;
  optedOut: number;
  cancelled: number;
}

export interface SmsCampaign {
  id: string;
  name: string;
  status: string;
  listId: string;
  senderNumber: string;
  template: string;
  messagesPerSecond: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  createdAt: Date;
  progress: SmsCampaignProgress;
}

/** Retries of a message Twilio refused for now (429, network): exponential from one second. */
export const SMS_CAMPAIGN_JOB_ATTEMPTS = 6;

const invalid = (message: string, field: string) => new CampaignException(CampaignExceptionCode.InvalidInput, message, field);

/**
 * SMS campaigns: created RUNNING with the list's members as they are now (one message row each) and one
 * job per message (ids only); worker-sms renders and sends them at the campaign's pace per sender number.
 */
export class SmsCampaignsService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly queues: CampaignQueues,
  ) {}

  async create(tenantId: TenantId, command: CreateSmsCampaignCommand, actor: string): Promise<SmsCampaign> {
    const name = command.name.trim();
    if (name.length < 1 || name.length > 200) throw invalid('name must hold 1 to 200 characters', 'name');
    const problem = smsCampaignTemplateProblem(command.template);
    if (problem) throw invalid(problem, 'template');
    if (!Number.isInteger(command.messagesPerSecond) || command.messagesPerSecond < 1 || command.messagesPerSecond > 1000) {
      throw invalid('messagesPerSecond must be a whole number from 1 to 1000', 'messagesPerSecond');
    }
    let sender: string;
    try {
      sender = toE164(command.senderNumber, 'senderNumber');
    } catch (error) {
      if (error instanceof TenancyException) throw invalid(error.message, 'senderNumber');
      throw error;
    }
    const { campaignId, messageIds } = await this.db.run(tenantId, async (em) => {
      const [list] = await em.query(`SELECT 1 FROM contact_lists WHERE tenant_id = $1 AND id = $2`, [tenantId, command.listId]);
      if (!list) throw new CampaignException(CampaignExceptionCode.NotFound, `contact list ${command.listId} not found`, 'listId');
      const [owned] = await em.query(`SELECT 1 FROM phone_numbers WHERE tenant_id = $1 AND e164 = $2`, [tenantId, sender]);
      if (!owned) throw new CampaignException(CampaignExceptionCode.NotFound, 'the sender number is not one of the tenant’s numbers', 'senderNumber');
      const mps = command.messagesPerSecond;
      const [row] = await em.query(
        `INSERT INTO campaigns (tenant_id, name, kind, status, list_id, caller_id, message_template, messages_per_second,
           calls_per_second, max_concurrent_calls, started_at)
         VALUES ($1, $2, 'sms', 'running', $3, $4, $5, $6, $6, 1, now()) RETURNING id`,
        [tenantId, name, command.listId, sender, command.template, mps],
      );
      const messages = await em.query(
        `INSERT INTO sms_campaign_messages (tenant_id, campaign_id, contact_id, seq)
         SELECT $1, $2, m.contact_id, row_number() OVER (ORDER BY m.added_at, m.contact_id)
           FROM contact_list_members m WHERE m.tenant_id = $1 AND m.list_id = $3
         RETURNING id, seq`,
        [tenantId, row.id, command.listId],
      );
      if (!messages.length) await em.query(`UPDATE campaigns SET status = 'completed', finished_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, row.id]);
      await audit(em, tenantId, { actor, action: 'campaign.create', targetType: 'campaign', targetId: row.id, details: { name, kind: 'sms', contacts: messages.length } });
      const ordered = [...messages].sort((a: { seq: number }, b: { seq: number }) => a.seq - b.seq);
      return { campaignId: row.id as string, messageIds: ordered.map((m: { id: string }) => m.id) };
    });
    for (let i = 0; i < messageIds.length; i += 1000) {
      await this.queues.campaignSms.addBulk(messageIds.slice(i, i + 1000).map((messageId) => smsJob({ tenantId, campaignId, messageId })));
    }
    return this.get(tenantId, campaignId);
  }

  async get(tenantId: TenantId, campaignId: string): Promise<SmsCampaign> {
    const [row] = await this.db.run(tenantId, (em) =>
      em.query(
        `SELECT c.id, c.name, c.status, c.list_id, c.caller_id, c.message_template, c.messages_per_second, c.started_at, c.finished_at, c.created_at,
                count(m.id)::int AS contacts,
                (count(*) FILTER (WHERE m.status IN ('pending', 'sending')))::int AS pending,
                (count(*) FILTER (WHERE m.status = 'sent'))::int AS sent,
                (count(*) FILTER (WHERE m.status = 'delivered'))::int AS delivered,
                (count(*) FILTER (WHERE m.status = 'failed'))::int AS failed,
                (count(*) FILTER (WHERE m.status = 'opted-out'))::int AS opted_out,
                (count(*) FILTER (WHERE m.status = 'cancelled'))::int AS cancelled
           FROM campaigns c LEFT JOIN sms_campaign_messages m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.id
          WHERE c.tenant_id = $1 AND c.id = $2 AND c.kind = 'sms'
          GROUP BY c.tenant_id, c.id`,
        [tenantId, campaignId],
      ),
    );
    if (!row) throw new CampaignException(CampaignExceptionCode.NotFound, `SMS campaign ${campaignId} not found`, 'id');
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      listId: row.list_id,
      senderNumber: row.caller_id,
      template: row.message_template,
      messagesPerSecond: row.messages_per_second,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      createdAt: row.created_at,
      progress: { contacts: row.contacts, pending: row.pending, sent: row.sent, delivered: row.delivered, failed: row.failed, optedOut: row.opted_out, cancelled: row.cancelled },
    };
  }
}

/** One message's job; its id makes a second add a no-op. */
export function smsJob(data: JobPayload<JobName.SendCampaignSms>) {
  return {
    name: JobName.SendCampaignSms as const,
    data,
    opts: {
      jobId: jobId('campaign-sms', data.tenantId, data.campaignId, data.messageId),
      attempts: SMS_CAMPAIGN_JOB_ATTEMPTS,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    },
  };
}
