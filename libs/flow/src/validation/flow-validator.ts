import { z } from 'zod';
import { nodeIdSchema } from '../schema/common.schema';
import { flowDocumentSchema, nodeSchemas, nodeTypes, type Flow, type FlowNode, type NodeType } from '../schema/flow-document.schema';
import { checkNodeContent } from './content-checks';
import type { FlowError } from './flow-error';
import { checkGraph, type RawEdge } from './graph-checks';

export type FlowValidation = { ok: true; flow: Flow } | { ok: false; errors: FlowError[] };

const shellSchema = flowDocumentSchema.extend({ nodes: z.record(z.string(), z.unknown()) });
const maxNodes = 500;

/** Checks a flow document and returns every problem at once, or the flow with its defaults applied. */
export function validateFlow(document: unknown): FlowValidation {
  const errors: FlowError[] = [];
  const shell = shellSchema.safeParse(document);
  if (!shell.success) errors.push(...shell.error.issues.filter((i) => i.path[0] !== 'nodes' || i.path.length === 1).map(docIssue));
  const raw = rawNodes(document);
  if (raw.size > maxNodes) errors.push({ nodeId: null, field: 'nodes', message: `a flow has at most ${maxNodes} nodes (${raw.size} given)` });

  const parsed = new Map<string, FlowNode>();
  const rawTargets = new Map<string, RawEdge[]>();
  const unparsed = new Map<string, FlowNode>();
  for (const [id, value] of raw) {
    if (!nodeIdSchema.safeParse(id).success) {
      errors.push({ nodeId: id, field: '(id)', message: 'node id must start with a letter and use only letters, digits, _ or -' });
    }
    const node = parseNode(id, value, errors);
    if (node) parsed.set(id, node);
    else {
      rawTargets.set(id, guessTargets(value));
      if (nodeTypes.includes((value as { type?: NodeType } | null)?.type as NodeType)) unparsed.set(id, value as FlowNode);
    }
  }
  const start = typeof (document as { start?: unknown })?.start === 'string' ? (document as { start: string }).start : undefined;
  errors.push(...checkGraph(start, parsed, rawTargets));
  for (const [id, node] of [...parsed, ...unparsed]) errors.push(...checkNodeContent(id, node));

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, flow: flowDocumentSchema.parse(document) };
}

function rawNodes(document: unknown): Map<string, unknown> {
  const nodes = (document as { nodes?: unknown } | null)?.nodes;
  if (nodes === null || typeof nodes !== 'object' || Array.isArray(nodes)) return new Map();
  return new Map(Object.entries(nodes));
}

function parseNode(id: string, value: unknown, errors: FlowError[]): FlowNode | null {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !(nodeTypes as string[]).includes(type)) {
    errors.push({ nodeId: id, field: 'type', message: `unknown node type ${JSON.stringify(type ?? null)}; known types: ${nodeTypes.join(', ')}` });
    return null;
  }
  const result = nodeSchemas[type as NodeType].safeParse(value);
  if (result.success) return result.data as FlowNode;
  for (const issue of result.error.issues) errors.push({ nodeId: id, ...nodeIssue(issue) });
  return null;
}

function nodeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(node)';
  const last = String(issue.path[issue.path.length - 1] ?? '');
  const isOutcome = issue.path[0] === 'next' || last === 'next' || last === 'target';
  if (issue.code === 'invalid_type' && isOutcome && issue.message.includes('undefined')) {
    const outcome = issue.path[0] === 'next' && issue.path.length === 2 ? `'${last}' ` : '';
    return { field, message: `outcome ${outcome}is not wired to a node` };
  }
  if (issue.code === 'invalid_key') {
    return { field, message: `'${last}' is not an allowed name: it ${issue.issues.map((i) => i.message).join('; ')}` };
  }
  return { field, message: issue.message };
}

function docIssue(issue: z.core.$ZodIssue): FlowError {
  return { nodeId: null, field: issue.path.length > 0 ? issue.path.join('.') : '(document)', message: issue.message };
}

/** Best-effort outcome targets of a node that failed to parse, so reachability is not misreported. */
function guessTargets(value: unknown): RawEdge[] {
  const v = value as Record<string, unknown> | null;
  if (v === null || typeof v !== 'object') return [];
  const out: { field: string; target: unknown }[] = [{ field: 'target', target: v.target }];
  if (typeof v.next === 'string') out.push({ field: 'next', target: v.next });
  else if (v.next && typeof v.next === 'object') {
    out.push(...Object.entries(v.next).map(([k, t]) => ({ field: `next.${k}`, target: t })));
  }
  for (const name of ['options', 'cases', 'branches']) {
    const list = v[name];
    if (Array.isArray(list)) out.push(...list.map((o, i) => ({ field: `${name}.${i}.next`, target: (o as { next?: unknown } | null)?.next })));
  }
  return out.filter((e): e is RawEdge => typeof e.target === 'string');
}
