import { Injectable, Logger } from '@nestjs/common';
import { type Agent, AgentsService, agentTexts, callerLabel, WaitingCallersStore, type WaitingCaller } from '@ringflow/pull-queue';
import type { TenantId } from '@ringflow/tenancy';
import { safeMessage } from './background-tasks';
import { CallerNames } from './caller-names';
import { QueueTelephony } from './queue-telephony';

/** Tells agents, by SMS from the number the caller dialled, who is waiting and how to answer. */
@Injectable()
export class AgentNotifier {
  private readonly logger = new Logger(AgentNotifier.name);

  constructor(
    private readonly store: WaitingCallersStore,
    private readonly names: CallerNames,
    private readonly telephony: QueueTelephony,
    private readonly agents: AgentsService,
  ) {}

  agentsByIds(tenantId: TenantId, ids: string[]): Promise<Agent[]> {
    return this.agents.byIds(tenantId, ids);
  }

  /** How a caller reads in a notice: looked-up name and number. */
  async label(tenantId: TenantId, caller: Pick<WaitingCaller, 'caller'>): Promise<string> {
    return callerLabel(caller.caller, await this.names.nameOf(tenantId, caller.caller));
  }

  /**
   * Offers a caller to agents. They count as notified before their SMS goes, so a quick NO is weighed against
   * everyone offered; an agent whose SMS could not be sent is taken off again.
   */
  async offer(tenantId: TenantId, caller: WaitingCaller, agents: Agent[]): Promise<void> {
    if (agents.length === 0) return;
    await this.store.markNotified(tenantId, caller.callSid, agents.map((a) => a.id));
    const text = agentTexts.offer(await this.label(tenantId, caller), caller);
    await Promise.all(
      agents.map(async (agent) => {
        try {
          await this.telephony.sendSms(tenantId, caller.called, agent.phone, text);
        } catch (error) {
          await this.store.unmarkNotified(tenantId, caller.callSid, agent.id);
          this.logger.warn(`tenant ${tenantId} call ${caller.callSid}: notice to agent ${agent.id} not sent: ${safeMessage(error)}`);
        }
      }),
    );
  }

  /** Sends one text to several people from the tenant number; failures are logged by agent id or as "a number". */
  async tell(tenantId: TenantId, from: string, recipients: { phone: string; id?: string }[], text: string): Promise<void> {
    await Promise.all(
      recipients.map(async (r) => {
        try {
          await this.telephony.sendSms(tenantId, from, r.phone, text);
        } catch (error) {
          this.logger.warn(`tenant ${tenantId}: SMS to ${r.id ? `agent ${r.id}` : 'the voicemail number'} not sent: ${safeMessage(error)}`);
        }
      }),
    );
  }
}
