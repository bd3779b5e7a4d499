import { Injectable } from '@nestjs/common';
import type { Flow, FlowState, Instruction, NodeOf } from '@ringflow/flow';
import { FlowStore } from '@ringflow/flow-store';
import { CallSessionStore, CallSignals, effectiveVariables, type CallSession } from '@ringflow/session';
import type { TenantId } from '@ringflow/tenancy';

/** Twilio gives up on a webhook after 15 s: a held request is answered well before. */
const MAX_HOLD_SECONDS = 10;

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && String(value).trim() !== '';
}

function awaitedWait(flow: Flow, state: FlowState): NodeOf<'wait'> | undefined {
  const id = state.awaiting?.nodeId;
  const node = id !== undefined && Object.hasOwn(flow.nodes, id) ? flow.nodes[id] : undefined;
  return node?.type === 'wait' ? node : undefined;
}

function heldSeconds(node: NodeOf<'wait'>): number {
  return Math.min(node.pollSeconds, MAX_HOLD_SECONDS);
}

/**
 * A `wait` node polls: prompts, a pause, a redirect back to itself. The gateway spends the pause (up to
 * 10 s) holding that redirect instead, and answers as soon as an outside system sets the variable
 * (a pub/sub signal from the session API), so the caller moves on within a second of the change.
 */
@Injectable()
export class WaitNodeHold {
  constructor(
    private readonly sessions: CallSessionStore,
    private readonly flows: FlowStore,
    private readonly signals: CallSignals,
  ) {}

  /**
   * The `wait` node a step at `seq` would find unsatisfied in this session (read under the step lock), if any:
   * then the step should release the lock and `hold` before it runs.
   */
  async pendingWait(session: CallSession, seq: number): Promise<NodeOf<'wait'> | undefined> {
    if (session.seq !== seq || session.flowId === null || session.flowVersion === null) return undefined;
    const { flow } = await this.flows.getVersion(session.tenantId as TenantId, session.flowId, session.flowVersion);
    const wait = awaitedWait(flow, session.state);
    return wait && !isSet(effectiveVariables(session)[wait.variable]) ? wait : undefined;
  }

  /** Resolves when the call may take its step: the variable was set, or the poll interval passed. Call it without the step lock. */
  async hold(tenantId: TenantId, callSid: string, seq: number, wait: NodeOf<'wait'>): Promise<void> {
    const listener = await this.signals.listen(tenantId, callSid);
    try {
      // Subscribed first, then checked again: a PATCH between the step's read and the subscription is not missed.
      const fresh = (await this.sessions.load(tenantId, callSid))?.session;
      if (fresh && (await this.pendingWait(fresh, seq))) await listener.wait(heldSeconds(wait) * 1000);
    } finally {
      listener.cancel();
    }
  }

  /** The step's instructions with the pause the next request will be held for taken out. */
  shortenPause(flow: Flow, state: FlowState, instructions: Instruction[]): Instruction[] {
    const wait = awaitedWait(flow, state);
    const [pause, redirect] = instructions.slice(-2);
    if (!wait || pause?.kind !== 'pause' || redirect?.kind !== 'redirect' || redirect.resume.nodeId !== state.awaiting?.nodeId) return instructions;
    const left = pause.seconds - heldSeconds(wait);
    return [...instructions.slice(0, -2), ...(left > 0 ? [{ ...pause, seconds: left }] : []), redirect];
  }
}
