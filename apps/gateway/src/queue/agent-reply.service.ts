import { Injectable, Logger } from '@nestjs/common';
import {
  type Agent, AgentsService, agentTexts, CallQueuesService, parseAgentReply, WaitingCallersStore, type WaitingCaller, type WaitState,
} from '@ringflow/pull-queue';
import type { TenantId } from '@ringflow/tenancy';
import { AgentNotifier } from './agent-notifier';
import { QueueCallRedirect } from './queue-call-redirect';

type Target = { caller: WaitingCaller } | { answer: string };

/**
 * An agent's SMS to a tenant number: YES/NO for a waiting caller (by code, or the first in priority
 * order without one), AWAY and BACK. The answer is the text sent back to the agent. Messages from
 * numbers that are not the tenant's agents are not for this service (null).
 */
@Injectable()
export class AgentReplyService {
  private readonly logger = new Logger(AgentReplyService.name);

  constructor(
    private readonly agents: AgentsService,
    private readonly queues: CallQueuesService,
    private readonly store: WaitingCallersStore,
    private readonly notifier: AgentNotifier,
    private readonly redirect: QueueCallRedirect,
  ) {}

  async handle(tenantId: TenantId, from: string, body: string): Promise<string | null> {
    const agent = await this.agents.findByPhone(tenantId, from);
    if (!agent) return null;
    const reply = parseAgentReply(body);
    this.logger.log(`tenant ${tenantId}: agent ${agent.id} replied ${reply.kind}${'code' in reply && reply.code !== undefined ? ` ${reply.code}` : ''}`);
    switch (reply.kind) {
      case 'away':
        await this.agents.setAvailable(tenantId, agent.id, false);
        return agentTexts.away();
      case 'back':
        return this.back(tenantId, agent);
      case 'unknown':
        return agentTexts.help();
      case 'accept':
      case 'decline': {
        const target = await this.target(tenantId, agent, reply.code, reply.kind);
        if ('answer' in target) return target.answer;
        return reply.kind === 'accept' ? this.accept(tenantId, agent, target.caller) : this.decline(tenantId, agent, target.caller);
      }
    }
  }

  private async back(tenantId: TenantId, agent: Agent): Promise<string> {
    await this.agents.setAvailable(tenantId, agent.id, true);
    const waiting = await this.store.waiting(tenantId, await this.queues.queuesOf(tenantId, agent.id));
    const lines: string[] = [];
    for (const caller of waiting) {
      await this.store.markNotified(tenantId, caller.callSid, [agent.id]);
      lines.push(agentTexts.waitingLine(await this.notifier.label(tenantId, caller), caller.code));
    }
    return agentTexts.back(lines);
  }

  private async target(tenantId: TenantId, agent: Agent, code: number | undefined, kind: 'accept' | 'decline'): Promise<Target> {
    const queues = await this.queues.queuesOf(tenantId, agent.id);
    if (code !== undefined) {
      const caller = await this.store.byCode(tenantId, code);
      if (!caller) return { answer: agentTexts.unknownCode(code) };
      return queues.includes(caller.queue) ? { caller } : { answer: agentTexts.notYourQueue(code) };
    }
    for (const caller of await this.store.waiting(tenantId, queues)) {
      if (kind === 'accept' || !(await this.store.declinedBy(tenantId, caller.callSid)).includes(agent.id)) return { caller };
    }
    return { answer: agentTexts.nobodyWaiting() };
  }

  private async accept(tenantId: TenantId, agent: Agent, caller: WaitingCaller): Promise<string> {
    const result = await this.store.claim(tenantId, caller, agent);
    const who = await this.notifier.label(tenantId, caller);
    if (result.kind === 'unavailable') {
      return result.state === 'claimed' && result.byAgentId === agent.id ? agentTexts.alreadyYours(who) : this.tooLate(result.state, who, caller.code);
    }
    if ((await this.redirect.redirect(tenantId, caller.callSid, 'answered')) === 'gone') return agentTexts.hungUp(who);
    return agentTexts.connecting(who);
  }

  private async decline(tenantId: TenantId, agent: Agent, caller: WaitingCaller): Promise<string> {
    const result = await this.store.decline(tenantId, caller, agent.id);
    const who = await this.notifier.label(tenantId, caller);
    if (result.kind === 'unavailable') return this.tooLate(result.state, who, caller.code);
    if (result.kind === 'all-declined') await this.redirect.redirect(tenantId, caller.callSid, 'voicemail');
    return agentTexts.passed(who, result.kind === 'all-declined');
  }

  private tooLate(state: Exclude<WaitState, 'waiting'> | 'gone', who: string, code: number): string {
    switch (state) {
      case 'claimed':
        return agentTexts.taken(who);
      case 'voicemail':
        return agentTexts.wentToVoicemail(who);
      case 'timeout':
        return agentTexts.timedOut(who);
      case 'hung-up':
        return agentTexts.hungUp(who);
      case 'gone':
        return agentTexts.unknownCode(code);
    }
  }
}
