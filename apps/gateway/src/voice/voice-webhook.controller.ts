import { Controller, HttpCode, Inject, Logger, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClsService } from 'nestjs-cls';
import { renderQueueWaitTwiml, type SystemValues } from '@ringflow/flow';
import { Public } from '@ringflow/observability';
import { CallSessionStore } from '@ringflow/session';
import { isUuid, type TenantId } from '@ringflow/tenancy';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { QueueCallEvents } from '../queue/queue-call-events';
import { NumberOwners } from '../twilio/number-owners';
import { TenantVoiceSettings } from '../twilio/tenant-voice-settings';
import { TwilioWebhookVerifier, type WebhookVerdict } from '../twilio/twilio-webhook-verifier';
import { CALL_SID, twilioWebhookOf, type TwilioWebhook } from '../twilio/twilio-webhook';
import { CampaignAnswerFlow } from './campaign-answer-flow';
import { CallStatusService } from './call-status.service';
import { fallbackTwiml, rejectTwiml } from './fallback-twiml';
import { VoiceMetrics } from './voice-metrics';
import { VoiceStepService } from './voice-step.service';

/**
 * Twilio's voice webhooks. Public (no API key) but every request must carry a valid signature of the
 * tenant's auth token: otherwise 403 and nothing runs. Any fault after that answers the fallback, never a 500.
 */
@Public()
@Controller('twilio/voice')
export class VoiceWebhookController {
  private readonly logger = new Logger(VoiceWebhookController.name);

  constructor(
    private readonly voice: VoiceStepService,
    private readonly status: CallStatusService,
    private readonly sessions: CallSessionStore,
    private readonly verifier: TwilioWebhookVerifier,
    private readonly settings: TenantVoiceSettings,
    private readonly cls: ClsService,
    private readonly metrics: VoiceMetrics,
    private readonly queueEvents: QueueCallEvents,
    private readonly campaignFlows: CampaignAnswerFlow,
    private readonly owners: NumberOwners,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** A new call: a number's Voice URL, or the answer URL of an outbound call. */
  @Post()
  async inbound(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const webhook = twilioWebhookOf(req, this.config.PUBLIC_BASE_URL);
    const p = webhook.params;
    const outbound = (p.Direction ?? 'inbound').startsWith('outbound');
    const number = outbound ? p.From : p.To;
    await this.respond(reply, p.CallSid, async () => {
      if (!number) return { forbidden: 'no To/From number in the request' };
      const tenantId = await this.owners.of(number);
      this.rememberOwner(number, tenantId);
      if (!tenantId) {
        this.metrics.count('rejected');
        this.logger.warn(`call ${p.CallSid ?? '-'} to ${number}: no tenant owns this number; rejected`);
        return { twiml: rejectTwiml() };
      }
      const verdict = await this.verify(tenantId, webhook, p.CallSid);
      if (!verdict.ok) return { forbidden: verdict.why, tenantId };
      const system: SystemValues = {
        caller: (outbound ? p.To : p.From) ?? '', called: number, callSid: p.CallSid, direction: outbound ? 'outbound' : 'inbound', tenant: tenantId,
      };
      const twiml = await this.voice.answer({
        tenantId, callSid: p.CallSid, seq: 0, path: req.url, params: p, timeZone: verdict.settings.timeZone, fallback: verdict.settings.fallback,
        start: { system, number, campaignFlow: outbound ? await this.campaignFlows.of(tenantId, req.query) : undefined },
      });
      return { twiml, tenantId };
    }, number ? this.lastOwners.get(number) : undefined);
  }

  /** Every later step of a call, at the URLs the gateway rendered into its own TwiML. */
  @Post('step/:tenantId/:callSid')
  async step(
    @Param('tenantId') tenant: string, @Param('callSid') callSid: string, @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest, @Res() reply: FastifyReply,
  ): Promise<void> {
    const webhook = twilioWebhookOf(req, this.config.PUBLIC_BASE_URL);
    await this.respond(reply, callSid, async () => {
      const seq = Number(query.s);
      if (!isUuid(tenant) || !Number.isSafeInteger(seq) || seq < 0) return { forbidden: 'not a step URL of this gateway' };
      const tenantId = tenant.toLowerCase() as TenantId;
      const verdict = await this.verify(tenantId, webhook, callSid);
      if (!verdict.ok) return { forbidden: verdict.why, tenantId };
      const params = await this.queueEvents.stepParams(tenantId, callSid, query, webhook.params);
      const twiml = await this.voice.answer({
        tenantId, callSid, seq, path: req.url, params, timeZone: verdict.settings.timeZone, fallback: verdict.settings.fallback,
      });
      this.queueEvents.afterStep(tenantId, callSid, params);
      return { twiml, tenantId };
    }, tenant);
  }

  /** The hold page of a queued caller (Twilio's Enqueue waitUrl). */
  @Post('hold/:tenantId/:callSid')
  async hold(@Param('tenantId') tenant: string, @Param('callSid') callSid: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const webhook = twilioWebhookOf(req, this.config.PUBLIC_BASE_URL);
    await this.respond(reply, callSid, async () => {
      if (!isUuid(tenant)) return { forbidden: 'not a hold URL of this gateway' };
      const tenantId = tenant.toLowerCase() as TenantId;
      const verdict = await this.verify(tenantId, webhook, callSid);
      if (!verdict.ok) return { forbidden: verdict.why, tenantId };
      const hold = (await this.sessions.load(tenantId, callSid))?.session.hold;
      if (!hold) return { twiml: fallbackTwiml(verdict.settings.fallback), tenantId };
      const queueTimeSeconds = Number.parseInt(webhook.params.QueueTime ?? '0', 10) || 0;
      const holdMessage = [await this.queueEvents.holdAnnouncement(tenantId, callSid), hold.holdMessage].filter(Boolean).join(' ') || undefined;
      return { twiml: renderQueueWaitTwiml({ ...hold, holdMessage, queueTimeSeconds }), tenantId };
    }, tenant);
  }

  /** Call status callbacks; the final one writes the call record. */
  @Post('status')
  @HttpCode(204)
  async callStatus(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const webhook = twilioWebhookOf(req, this.config.PUBLIC_BASE_URL);
    const p = webhook.params;
    const number = (p.Direction ?? 'inbound').startsWith('outbound') ? p.From : p.To;
    try {
      // Postgres away: the number's last-known owner, so the call record can wait in Redis (the signature still decides).
      const tenantId = number ? await this.owners.of(number).catch((error: unknown) => this.lastOwners.get(number) ?? Promise.reject(error)) : undefined;
      if (!tenantId) return void reply.status(204).send();
      const verdict = await this.verify(tenantId, webhook, p.CallSid);
      if (!verdict.ok) return void this.forbid(reply, verdict.why, p.CallSid, tenantId);
      await this.status.handle(tenantId, p, req.query as Record<string, unknown>);
    } catch (error) {
      this.logger.error(`status callback of call ${p.CallSid ?? '-'} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    reply.status(204).send();
  }

  /**
   * The last tenant seen to own each number, so a new caller hears that tenant's fallback when Postgres cannot say
   * who owns the number (only the apology is chosen from it; nothing else runs). Bounded: oldest entries go first.
   */
  private readonly lastOwners = new Map<string, TenantId>();
  private rememberOwner(number: string, tenantId: TenantId | undefined): void {
    this.lastOwners.delete(number);
    if (!tenantId) return;
    this.lastOwners.set(number, tenantId);
    if (this.lastOwners.size > 10_000) this.lastOwners.delete(this.lastOwners.keys().next().value!);
  }

  private async verify(tenantId: TenantId, webhook: TwilioWebhook, callSid: string | undefined): Promise<WebhookVerdict> {
    const verdict = await this.verifier.verify(tenantId, webhook);
    if (verdict.ok && (!callSid || !CALL_SID.test(callSid) || webhook.params.CallSid !== callSid)) {
      return { ok: false, why: 'CallSid is missing or does not match the URL' };
    }
    return verdict;
  }

  private async respond(
    reply: FastifyReply, callSid: string | undefined,
    work: () => Promise<{ twiml: string; tenantId?: string } | { forbidden: string; tenantId?: string }>,
    tenantHint?: string,
  ): Promise<void> {
    if (callSid) this.cls.set('callSid', callSid);
    try {
      const outcome = await work();
      if ('forbidden' in outcome) return this.forbid(reply, outcome.forbidden, callSid, outcome.tenantId);
      reply.status(200).type('text/xml').send(outcome.twiml);
    } catch (error) {
      this.metrics.count('fallback-error');
      this.logger.error(`call ${callSid ?? '-'}: ${error instanceof Error ? error.message : String(error)}; fallback answered`);
      // The stores may be down: the tenant's fallback as last loaded, else the platform's.
      const known = tenantHint && isUuid(tenantHint) ? this.settings.cached(tenantHint.toLowerCase() as TenantId) : undefined;
      reply.status(200).type('text/xml').send(fallbackTwiml(known?.fallback));
    }
  }

  private forbid(reply: FastifyReply, why: string, callSid: string | undefined, tenantId: string | undefined): void {
    this.metrics.count('forbidden');
    this.logger.warn(`refused webhook for call ${callSid ?? '-'} of tenant ${tenantId ?? '-'}: ${why}`);
    reply.status(403).type('text/plain').send(`Forbidden: ${why}`);
  }
}
