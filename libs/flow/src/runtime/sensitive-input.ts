import type { Flow } from '../schema/flow-document.schema';
import type { FlowState } from './flow-state';

/**
 * True when the next Twilio callback answers a `sensitive` input: the gateway must then keep the posted
 * `Digits` out of its logs, traces and error reports.
 */
export function awaitsSensitiveInput(flow: Flow, state: FlowState): boolean {
  const id = state.awaiting?.nodeId;
  if (id === undefined || !Object.hasOwn(flow.nodes, id)) return false;
  const node = flow.nodes[id];
  return node.type === 'input' && node.sensitive;
}
