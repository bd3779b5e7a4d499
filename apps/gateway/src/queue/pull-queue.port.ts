import { Injectable } from '@nestjs/common';
import type { PortOutcome, QueuePort } from '@ringflow/flow';
import { CallQueuesService, WaitingCallersStore } from '@ringflow/pull-queue';
import { CallSessionStore } from '@ringflow/session';
import type { TenantId } from '@ringflow/tenancy';
import { AgentNotifier } from './agent-notifier';
import { BackgroundTasks, safeMessage } from './background-tasks';

/**
 * The flow's queue port: the caller joins the tenant's waiting list in priority order (once per call: a
 * replayed step changes nothing) and the queue's available agents get their notice in the background,
 * so the caller hears the hold music without waiting for SMS.
 */
@Injectable()
export class PullQueuePort implements QueuePort {
  constructor(
    private readonly store: WaitingCallersStore,
    private readonly queues: CallQueuesService,
    private readonly sessions: CallSessionStore,
    private readonly notifier: AgentNotifier,
    private readonly background: BackgroundTasks,
  ) {}

  async enqueue(req: Parameters<QueuePort['enqueue']>[0]): Promise<PortOutcome> {
    const tenantId = req.tenant as TenantId;
    try {
      const called = (await this.sessions.load(tenantId, req.callSid))?.session.system.called;
      if (!called) return { kind: 'failed', reason: 'the call has no session to enqueue' };
      const { added } = await this.store.add(tenantId, { callSid: req.callSid, queue: req.queue, priority: req.priority, caller: req.caller, called });
      if (added && req.notifyAgents) {
        this.background.run(`tenant ${tenantId} call ${req.callSid}: agent notices`, async () => {
          const caller = await this.store.get(tenantId, req.callSid);
          if (caller?.state === 'waiting') await this.notifier.offer(tenantId, caller, await this.queues.availableAgents(tenantId, req.queue));
        });
      }
      return { kind: 'ok' };
    } catch (error) {
      return { kind: 'failed', reason: safeMessage(error) };
    }
  }
}
