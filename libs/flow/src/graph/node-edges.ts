import type { FlowNode, NodeOf, NodeType } from '../schema/flow-document.schema';

/** One wired outcome of a node: the outcome name, the document field holding it, and the target node id. */
export interface NodeEdge {
  outcome: string;
  field: string;
  target: string;
}

interface EdgeSpec<T extends NodeType> {
  /** True when the node ends a step and waits for Twilio (caller input, a call result, or a timer). */
  waits: boolean;
  edges(node: NodeOf<T>): NodeEdge[];
}

const single = (node: { next: string }): NodeEdge[] => [{ outcome: 'next', field: 'next', target: node.next }];
const named = (next: Record<string, string>): NodeEdge[] =>
  Object.entries(next).map(([outcome, target]) => ({ outcome, field: `next.${outcome}`, target }));

const edgeSpecs: { [T in NodeType]: EdgeSpec<T> } = {
  say: { waits: false, edges: single },
  play: { waits: false, edges: single },
  pause: { waits: false, edges: single },
  set: { waits: false, edges: single },
  menu: {
    waits: true,
    edges: (n) => [
      ...n.options.map((o, i) => ({ outcome: `key:${o.key}`, field: `options.${i}.next`, target: o.next })),
      ...named(n.next),
    ],
  },
  input: { waits: true, edges: (n) => named(n.next) },
  http: { waits: false, edges: (n) => named(n.next) },
  condition: {
    waits: false,
    edges: (n) => [
      ...n.cases.map((c, i) => ({ outcome: `case:${i}`, field: `cases.${i}.next`, target: c.next })),
      ...named(n.next),
    ],
  },
  hours: { waits: false, edges: (n) => named(n.next) },
  split: {
    waits: false,
    edges: (n) => n.branches.map((b, i) => ({ outcome: `branch:${i}`, field: `branches.${i}.next`, target: b.next })),
  },
  sms: { waits: false, edges: (n) => named(n.next) },
  email: { waits: false, edges: (n) => named(n.next) },
  coupon: { waits: false, edges: (n) => named(n.next) },
  'opt-out': { waits: false, edges: (n) => named(n.next) },
  queue: { waits: true, edges: (n) => named(n.next) },
  dial: { waits: true, edges: (n) => named(n.next) },
  voicemail: { waits: true, edges: (n) => named(n.next) },
  wait: { waits: true, edges: (n) => named(n.next) },
  goto: { waits: false, edges: (n) => [{ outcome: 'next', field: 'target', target: n.target }] },
  hangup: { waits: false, edges: () => [] },
};

/** Where a node can go next, one edge per outcome. */
export function nodeEdges(node: FlowNode): NodeEdge[] {
  return (edgeSpecs[node.type].edges as (n: FlowNode) => NodeEdge[])(node);
}

/** True when the node ends the step to wait for input from Twilio. */
export function nodeWaits(node: FlowNode): boolean {
  return edgeSpecs[node.type].waits;
}

const targetsByNode = new WeakMap<FlowNode, Map<string, string>>();

/** The target node of an outcome, or undefined when the node has no such outcome. Cached per node object. */
export function outcomeTarget(node: FlowNode, outcome: string): string | undefined {
  let targets = targetsByNode.get(node);
  if (!targets) {
    targets = new Map(nodeEdges(node).map((e) => [e.outcome, e.target]));
    targetsByNode.set(node, targets);
  }
  return targets.get(outcome);
}
