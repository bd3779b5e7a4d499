import { Controller, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { Public } from '@ringflow/observability';
import { isStartReply, isStopReply, SmsCampaignMessages, SmsStatusService } from '@ringflow/campaign';
import { TenantDatabase, type TenantId } from '@ringflow/tenancy';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { AgentReplyService } from '../queue/agent-reply.service';
import { TwilioWebhookVerifier } from '../twilio/twilio-webhook-verifier';
import { twilioWebhookOf } from '../twilio/twilio-webhook';
import { InboundMessageOnce } from './inbound-message-once';

const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/;

/**
 * Twilio's SMS webhooks. A new message from one of the tenant's agents (YES/NO/AWAY/BACK) is acted on once
 * (a retried webhook is remembered by its SID) and answered in the TwiML reply; anyone else gets no reply.
 * A STOP reply (Twilio's opt-out keywords) puts the sender on the tenant's opt-out list: SMS campaigns send it nothing more;
 * a START (UNSTOP, YES) reply takes it off again (YES is also an agent's answer, so it goes on to the agent replies).
 * A delivery status moves the coupon it belongs to forward (SmsStatusService), else the SMS campaign message with
 * that SID (SmsCampaignMessages). Signed like voice: 403 otherwise.
 */
@Public()
@Controller('twilio/sms')
export class SmsWebhookController {
  private readonly logger = new Logger(SmsWebhookController.name);

  constructor(
    private readonly verifier: TwilioWebhookVerifier,
    private readonly seen: InboundMessageOnce,
    private readonly smsStatuses: SmsStatusService,
    private readonly campaignMessages: SmsCampaignMessages,
    private readonly agentReplies: AgentReplyService,
    private readonly db: TenantDatabase,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** A message to one of the tenants' numbers. */
  @Post()
  async inbound(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const webhook = twilioWebhookOf(req, this.config.PUBLIC_BASE_URL);
    const p = webhook.params;
    let answer: string | null = null;
    await this.handle(reply, p.To, webhook, 200, async (tenant, messageSid) => {
      if (!p.From || !(await this.seen.first(tenant, messageSid))) return;
      const body = p.Body ?? '';
      if (isStopReply(body)) return void (await this.campaignMessages.optOutByReply(tenant as TenantId, p.From));
      if (isStartReply(body)) await this.campaignMessages.optInByReply(tenant as TenantId, p.From);
      answer = await this.agentReplies.handle(tenant as TenantId, p.From, body);
    }, () => answer);
  }

  /** Delivery status of a message a tenant's number sent. */
  @Post('status')
  async status(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const webhook = twilioWebhookOf(req, this.config.PUBLIC_BASE_URL);
    const p = webhook.params;
    const status = p.MessageStatus ?? p.SmsStatus ?? '';
    await this.handle(reply, p.From, webhook, 204, async (tenant, messageSid) => {
      // No coupon has this SID (yet): it may be an SMS campaign message's. The status is remembered either way.
      if (status && (await this.smsStatuses.record(tenant as TenantId, messageSid, status, p.ErrorCode ?? null)) === 'remembered') {
        await this.campaignMessages.recordStatus(tenant as TenantId, messageSid, status, p.ErrorCode ?? null);
      }
    });
  }

  private async handle(
    reply: FastifyReply, number: string | undefined, webhook: ReturnType<typeof twilioWebhookOf>, okStatus: 200 | 204,
    record: (tenant: string, messageSid: string) => Promise<void>,
    answer: () => string | null = () => null,
  ): Promise<void> {
    const messageSid = webhook.params.MessageSid ?? webhook.params.SmsSid ?? '';
    try {
      const tenantId = number ? await this.db.tenantForNumber(number) : undefined;
      if (tenantId) {
        const verdict = await this.verifier.verify(tenantId, webhook);
        const why = !verdict.ok ? verdict.why : MESSAGE_SID.test(messageSid) ? undefined : 'MessageSid is missing or malformed';
        if (why) {
          this.logger.warn(`refused SMS webhook for message ${messageSid || '-'} of tenant ${tenantId}: ${why}`);
          return void reply.status(403).type('text/plain').send(`Forbidden: ${why}`);
        }
        await record(tenantId, messageSid);
      }
    } catch (error) {
      this.logger.error(`SMS webhook for message ${messageSid || '-'} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (okStatus === 204) return void reply.status(204).send();
    const response = new twilio.twiml.MessagingResponse();
    const text = answer();
    if (text) response.message({}, text);
    reply.status(200).type('text/xml').send(response.toString());
  }
}
