import { Injectable } from '@nestjs/common';
import { agentTexts, CallQueuesService, QueueVoicemailsService, WaitingCallersStore, type WaitingCaller } from '@ringflow/pull-queue';
import type { TenantId } from '@ringflow/tenancy';
import { AgentNotifier } from './agent-notifier';
import { BackgroundTasks } from './background-tasks';
import { QUEUE_OUTCOME_PARAM } from './queue-call-redirect';

const QUEUE_RESULT_ENDS: Record<string, 'timeout' | 'hung-up' | 'voicemail'> = { leave: 'timeout', redirected: 'timeout', hangup: 'hung-up' };

/** What happens to a queued call outside agents' replies: its resume step, its hold page, its end, its voicemail. */
@Injectable()
export class QueueCallEvents {
  constructor(
    private readonly store: WaitingCallersStore,
    private readonly queues: CallQueuesService,
    private readonly voicemails: QueueVoicemailsService,
    private readonly notifier: AgentNotifier,
    private readonly background: BackgroundTasks,
  ) {}

  /**
   * The parameters a step of the flow sees. On the gateway's own redirect the outcome comes from the URL and
   * the accepting agent's number from the claim (numbers stay out of URLs); on Twilio's `<Enqueue>` action
   * (the hold page's `<Leave/>`, a full queue) the wait is ended so that late replies are told.
   */
  async stepParams(tenantId: TenantId, callSid: string, query: Record<string, unknown>, params: Record<string, string>): Promise<Record<string, string>> {
    const outcome = query[QUEUE_OUTCOME_PARAM];
    if (outcome === 'answered') {
      const caller = await this.store.get(tenantId, callSid);
      const claimed = caller?.state === 'claimed' && caller.agentPhone;
      return { ...params, RingflowQueueOutcome: claimed ? 'answered' : 'voicemail', ...(claimed ? { RingflowAgent: caller.agentPhone! } : {}) };
    }
    if (outcome === 'voicemail' || outcome === 'timeout') {
      await this.store.finish(tenantId, callSid, outcome);
      return { ...params, RingflowQueueOutcome: outcome };
    }
    if (params.QueueResult) await this.store.finish(tenantId, callSid, QUEUE_RESULT_ENDS[params.QueueResult] ?? 'voicemail');
    return params;
  }

  /** The call ended: a caller still waiting hung up (agents replying later are told so). */
  async callEnded(tenantId: TenantId, callSid: string): Promise<void> {
    await this.store.finish(tenantId, callSid, 'hung-up');
  }

  /** "You are number 2 in line." on the hold page, for queues that announce it. */
  async holdAnnouncement(tenantId: TenantId, callSid: string): Promise<string | undefined> {
    const caller = await this.store.get(tenantId, callSid);
    if (caller?.state !== 'waiting') return undefined;
    const queue = await this.queues.byName(tenantId, caller.queue);
    const position = queue?.announcePosition ? await this.store.position(tenantId, caller) : null;
    return position ? `You are number ${position} in line.` : undefined;
  }

  /** After a step that recorded a voicemail of a queued caller: keep it once and text its link. */
  afterStep(tenantId: TenantId, callSid: string, params: Record<string, string>): void {
    const url = params.RecordingUrl ?? '';
    const duration = Number.parseInt(params.RecordingDuration ?? '0', 10) || 0;
    if (url === '' || duration <= 0) return;
    this.background.run(`tenant ${tenantId} call ${callSid}: voicemail link`, async () => {
      const caller = await this.store.get(tenantId, callSid);
      if (!caller || caller.state === 'waiting') return;
      const kept = await this.voicemails.keep(tenantId, { callSid, queueName: caller.queue, caller: caller.caller, recordingUrl: url, durationSeconds: duration });
      if (kept) await this.sendLink(tenantId, caller, url);
    });
  }

  private async sendLink(tenantId: TenantId, caller: WaitingCaller, url: string): Promise<void> {
    const queue = await this.queues.byName(tenantId, caller.queue);
    const text = agentTexts.voicemail(await this.notifier.label(tenantId, caller), caller.queue, url);
    if (queue?.voicemailNotify === 'number' && queue.voicemailNumber) {
      await this.notifier.tell(tenantId, caller.called, [{ phone: queue.voicemailNumber }], text);
      return;
    }
    const notified = await this.store.notified(tenantId, caller.callSid);
    const agents = notified.length > 0 ? await this.notifier.agentsByIds(tenantId, notified) : await this.queues.availableAgents(tenantId, caller.queue);
    await this.notifier.tell(tenantId, caller.called, agents, text);
  }
}
