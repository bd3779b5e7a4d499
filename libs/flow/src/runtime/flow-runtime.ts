import { executors } from '../executors/executor-map';
import type { Executor, NodeResult } from '../executors/executor';
import { outcomeTarget } from '../graph/node-edges';
import { reservedVarNames } from '../schema/common.schema';
import type { Flow, FlowNode } from '../schema/flow-document.schema';
import { fallbackInstructions } from './fallback';
import { FlowFault } from './flow-fault';
import { copyState, maxPathLength, type FlowState } from './flow-state';
import type { Instruction } from './instructions';
import { StepContext } from './step-context';
import type { StepInput, StepOptions, StepPorts, StepResult } from './step-io';

export const defaultMaxNodesPerStep = 100;

/**
 * Runs the flow from where the call is until it must wait for Twilio or ends. Never throws: a fault, or a step
 * that would enter more than the node cap, answers with the tenant's fallback and ends the call.
 */
export async function step(flow: Flow, state: FlowState, input: StepInput, ports: StepPorts, options: StepOptions): Promise<StepResult> {
  const cap = options.maxNodesPerStep ?? defaultMaxNodesPerStep;
  const s: FlowState = copyState(state);
  const out: Instruction[] = [];
  let entered = 0;
  let nodeId: string | null = null;
  try {
    const ctx = new StepContext(flow, s, input, ports, options);
    if (input.vars) mergeVars(s, input.vars);
    if (s.ended) return { state: s, instructions: [{ kind: 'hangup' }], nodesEntered: 0 };

    let next: string | null = s.current;
    if (s.awaiting) {
      nodeId = s.awaiting.nodeId;
      const node = nodeAt(flow, nodeId);
      const executor = executors[node.type] as Executor<FlowNode> | undefined;
      if (!executor?.resume) throw new FlowFault(nodeId, `a ${node.type} node cannot be resumed`);
      ctx.nodeId = nodeId;
      next = settle(s, ctx, node, await executor.resume(node, ctx), out, true);
    }
    while (next !== null) {
      if (entered >= cap) throw new FlowFault(next, `more than ${cap} nodes in one step`);
      nodeId = next;
      const node = nodeAt(flow, nodeId);
      entered++;
      s.visits++;
      s.path.push(nodeId);
      if (s.path.length > maxPathLength) s.path.splice(0, s.path.length - maxPathLength);
      ctx.nodeId = nodeId;
      const executor = executors[node.type] as Executor<FlowNode> | undefined;
      if (!executor) throw new FlowFault(nodeId, `unknown node type '${String(node.type)}'`);
      next = settle(s, ctx, node, await executor.enter(node, ctx), out, false);
    }
    return { state: s, instructions: out, nodesEntered: entered };
  } catch (err) {
    const reason = err instanceof FlowFault ? err.reason : `${err instanceof Error ? err.name : 'Error'}: ${err instanceof Error ? err.message : String(err)}`;
    const faulted: FlowState = { ...s, awaiting: null, current: null, ended: true };
    return {
      state: faulted, instructions: fallbackInstructions(options.fallback), nodesEntered: entered,
      fault: { nodeId: err instanceof FlowFault ? err.nodeId : nodeId, reason },
    };
  }
}

/** Variables set from outside; reserved names are dropped so they cannot reach the prototype. */
function mergeVars(s: FlowState, vars: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(vars)) {
    if (!reservedVarNames.includes(name)) s.vars[name] = value;
  }
}

function nodeAt(flow: Flow, nodeId: string): FlowNode {
  const node = Object.hasOwn(flow.nodes, nodeId) ? flow.nodes[nodeId] : undefined;
  if (!node) throw new FlowFault(nodeId, 'node does not exist in this flow version');
  return node;
}

/** Applies a node's result to the state; returns the next node to enter, or null when the step is over. */
function settle(s: FlowState, ctx: StepContext, node: FlowNode, result: NodeResult, out: Instruction[], resumed: boolean): string | null {
  if (result.instructions) out.push(...result.instructions);
  switch (result.kind) {
    case 'continue': {
      const target = outcomeTarget(node, result.outcome);
      if (target === undefined) throw new FlowFault(ctx.nodeId, `outcome '${result.outcome}' is not wired`);
      delete s.retries[ctx.nodeId];
      s.awaiting = null;
      s.current = target;
      return target;
    }
    case 'await':
      s.awaiting = { nodeId: ctx.nodeId, since: resumed && s.awaiting ? s.awaiting.since : ctx.now.toISOString() };
      s.current = null;
      return null;
    case 'end':
      s.awaiting = null;
      s.current = null;
      s.ended = true;
      return null;
  }
}
