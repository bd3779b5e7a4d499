import { z } from 'zod';
import {
  dialNodeSchema, gotoNodeSchema, hangupNodeSchema, inputNodeSchema, menuNodeSchema, pauseNodeSchema,
  playNodeSchema, queueNodeSchema, sayNodeSchema, voicemailNodeSchema, waitNodeSchema,
} from './call-nodes.schema';
import { nodeIdSchema, varNameSchema } from './common.schema';
import {
  conditionNodeSchema, couponNodeSchema, emailNodeSchema, hoursNodeSchema, httpNodeSchema, optOutNodeSchema,
  setNodeSchema, smsNodeSchema, splitNodeSchema,
} from './logic-nodes.schema';

/** Every node schema by its `type`; the single source for node types. */
export const nodeSchemas = {
  say: sayNodeSchema,
  play: playNodeSchema,
  pause: pauseNodeSchema,
  menu: menuNodeSchema,
  input: inputNodeSchema,
  http: httpNodeSchema,
  condition: conditionNodeSchema,
  hours: hoursNodeSchema,
  set: setNodeSchema,
  split: splitNodeSchema,
  sms: smsNodeSchema,
  email: emailNodeSchema,
  coupon: couponNodeSchema,
  'opt-out': optOutNodeSchema,
  queue: queueNodeSchema,
  dial: dialNodeSchema,
  voicemail: voicemailNodeSchema,
  wait: waitNodeSchema,
  goto: gotoNodeSchema,
  hangup: hangupNodeSchema,
} as const;

export type NodeType = keyof typeof nodeSchemas;
export const nodeTypes = Object.keys(nodeSchemas) as NodeType[];

export const flowNodeSchema = z.discriminatedUnion('type', [
  sayNodeSchema, playNodeSchema, pauseNodeSchema, menuNodeSchema, inputNodeSchema, httpNodeSchema,
  conditionNodeSchema, hoursNodeSchema, setNodeSchema, splitNodeSchema, smsNodeSchema, emailNodeSchema,
  couponNodeSchema, optOutNodeSchema, queueNodeSchema, dialNodeSchema, voicemailNodeSchema, waitNodeSchema,
  gotoNodeSchema, hangupNodeSchema,
]);

/** A flow document as a tenant admin writes it. */
export const flowDocumentSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().min(1).max(200),
  start: nodeIdSchema,
  vars: z.record(varNameSchema, z.union([z.string(), z.number(), z.boolean()])).default({}),
  nodes: z.record(nodeIdSchema, flowNodeSchema),
});

/** A flow as written (defaults optional). */
export type FlowDocumentInput = z.input<typeof flowDocumentSchema>;
/** A validated flow with defaults applied: what the runtime runs. */
export type Flow = z.output<typeof flowDocumentSchema>;
export type FlowNode = z.output<typeof flowNodeSchema>;
export type NodeOf<T extends NodeType> = Extract<FlowNode, { type: T }>;

/** The published JSON Schema of a flow document (draft 2020-12), generated from the zod schema. */
export function flowJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(flowDocumentSchema, { io: 'input' }) as Record<string, unknown>;
}
