import type { Flow } from '../schema/flow-document.schema';

/** Where the call waits: the node that will read the next Twilio callback. */
export interface AwaitPoint {
  nodeId: string;
  /** ISO time the node started waiting (for `wait` timeouts). */
  since: string;
}

/**
 * A call's progress through its flow. Plain JSON: the gateway saves it between webhooks.
 * `sensitive` holds values of `sensitive: true` inputs; strip it with `redactState` before logging or storing records.
 */
export interface FlowState {
  version: 1;
  /** The node to enter at the next step, when not awaiting. */
  current: string | null;
  awaiting: AwaitPoint | null;
  ended: boolean;
  vars: Record<string, unknown>;
  nodes: Record<string, Record<string, unknown>>;
  sensitive: Record<string, Record<string, string>>;
  /** Attempts used at a menu/input node (reset when it is left). */
  retries: Record<string, number>;
  /** Node ids entered, oldest first, capped at `maxPathLength` (oldest dropped). */
  path: string[];
  /** Count of node visits over the whole call; part of port idempotency keys. */
  visits: number;
}

export const maxPathLength = 200;

/** The state of a call that has not taken a step yet. */
export function initialState(flow: Flow): FlowState {
  return {
    version: 1, current: flow.start, awaiting: null, ended: false, vars: { ...flow.vars },
    nodes: {}, sensitive: {}, retries: {}, path: [], visits: 0,
  };
}

/** The state without sensitive values: what may go to logs, call records and job data. */
export function redactState(state: FlowState): FlowState {
  return { ...state, sensitive: {} };
}

/**
 * A copy a step may change without touching the caller's state. Node outputs and variable values are
 * replaced, never mutated in place, so one level of copying per record is enough.
 */
export function copyState(state: FlowState): FlowState {
  return {
    ...state,
    awaiting: state.awaiting ? { ...state.awaiting } : null,
    vars: { ...state.vars },
    nodes: { ...state.nodes },
    sensitive: { ...state.sensitive },
    retries: { ...state.retries },
    path: [...state.path],
  };
}
