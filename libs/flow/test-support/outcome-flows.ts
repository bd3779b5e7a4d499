import type { Flow } from '../src/schema/flow-document.schema';
import { CallDriver, mustValidate } from './call-driver';
import type { PortAnswers } from './recording-ports';

/**
 * A flow that starts at `node` (id `subject`) and sends each named outcome to a say node that speaks
 * `outcome:<name>` then hangs up, so a test can hear which outcome was taken.
 */
export function outcomeFlow(
  node: Record<string, unknown>, outcomes: string[], vars: Record<string, string> = {}, extra: Record<string, unknown> = {},
): Flow {
  const nodes: Record<string, unknown> = { subject: node, ...extra, ...(outcomes.length > 0 ? { end: { type: 'hangup' } } : {}) };
  for (const o of outcomes) nodes[`o_${o}`] = { type: 'say', text: `outcome:${o}`, next: 'end' };
  return mustValidate({ schemaVersion: 1, name: 'outcomes', start: 'subject', vars, nodes });
}

/** `{ outcome: 'o_outcome' }` for a node's `next`. */
export function wire(...outcomes: string[]): Record<string, string> {
  return Object.fromEntries(outcomes.map((o) => [o, `o_${o}`]));
}

/** The outcome the call took, read from what it said last. */
export function heardOutcome(call: CallDriver): string | undefined {
  return call.spoken().find((t) => t.startsWith('outcome:'))?.slice('outcome:'.length);
}

export function driver(flow: Flow, answers: PortAnswers = {}): CallDriver {
  return new CallDriver(flow, answers);
}
