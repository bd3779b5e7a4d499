import { nodeEdges, nodeWaits, type NodeEdge } from '../graph/node-edges';
import type { FlowNode } from '../schema/flow-document.schema';
import type { FlowError } from './flow-error';

/** An outcome read from a node that failed its schema. */
export interface RawEdge {
  field: string;
  target: string;
}

/** Dangling outcomes, unreachable nodes and loops that never wait for the caller. */
export function checkGraph(
  start: string | undefined,
  parsed: Map<string, FlowNode>,
  rawTargets: Map<string, RawEdge[]>,
): FlowError[] {
  const errors: FlowError[] = [];
  const exists = (id: string) => parsed.has(id) || rawTargets.has(id);

  for (const [id, node] of parsed) {
    for (const edge of nodeEdges(node)) {
      if (!exists(edge.target)) {
        errors.push({ nodeId: id, field: edge.field, message: `outcome '${edge.outcome}' goes to node '${edge.target}', which does not exist` });
      }
    }
  }
  for (const [id, edges] of rawTargets) {
    for (const edge of edges) {
      if (!exists(edge.target)) {
        errors.push({ nodeId: id, field: edge.field, message: `goes to node '${edge.target}', which does not exist` });
      }
    }
  }
  if (start !== undefined && !exists(start)) {
    errors.push({ nodeId: null, field: 'start', message: `start node '${start}' does not exist` });
  }

  if (start !== undefined && exists(start)) {
    const reached = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      const node = parsed.get(id);
      const targets = (node ? nodeEdges(node) : (rawTargets.get(id) ?? [])).map((e) => e.target);
      for (const t of targets) {
        if (exists(t) && !reached.has(t)) {
          reached.add(t);
          queue.push(t);
        }
      }
    }
    for (const id of new Set([...parsed.keys(), ...rawTargets.keys()])) {
      if (!reached.has(id)) errors.push({ nodeId: id, field: '(node)', message: `node is unreachable from start node '${start}'` });
    }
  }
  return [...errors, ...findBusyLoops(parsed)];
}

/** Cycles made only of nodes that do not wait for Twilio: such a loop would spin until the node cap. */
function findBusyLoops(parsed: Map<string, FlowNode>): FlowError[] {
  const errors: FlowError[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];

  const visit = (id: string): void => {
    state.set(id, 'open');
    stack.push(id);
    const node = parsed.get(id) as FlowNode;
    for (const edge of nodeEdges(node)) {
      const target = parsed.get(edge.target);
      if (!target || nodeWaits(target)) continue;
      const seen = state.get(edge.target);
      if (seen === 'open') errors.push(loopError(id, edge, stack));
      else if (seen === undefined) visit(edge.target);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const [id, node] of parsed) {
    if (!nodeWaits(node) && !state.has(id)) visit(id);
  }
  return errors;
}

function loopError(id: string, edge: NodeEdge, stack: string[]): FlowError {
  const loop = [...stack.slice(stack.indexOf(edge.target)), edge.target].join(' -> ');
  return { nodeId: id, field: edge.field, message: `loop ${loop} never waits for the caller; add a menu, input or other waiting node` };
}
