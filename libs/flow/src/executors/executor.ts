import type { NodeOf, NodeType } from '../schema/flow-document.schema';
import type { Instruction } from '../runtime/instructions';
import type { StepContext } from '../runtime/step-context';

/** What running a node decided. */
export type NodeResult =
  | { kind: 'continue'; outcome: string; instructions?: Instruction[] }
  | { kind: 'await'; instructions: Instruction[] }
  | { kind: 'end'; instructions: Instruction[] };

/** Runs one node type: `enter` when the flow reaches it, `resume` when Twilio calls back to it. */
export interface Executor<N> {
  enter(node: N, ctx: StepContext): NodeResult | Promise<NodeResult>;
  resume?(node: N, ctx: StepContext): NodeResult | Promise<NodeResult>;
}

export type ExecutorMap = { [T in NodeType]: Executor<NodeOf<T>> };

export const proceed = (outcome: string, instructions?: Instruction[]): NodeResult => ({ kind: 'continue', outcome, instructions });
