import { z } from 'zod';
import { isoDateSchema, nodeIdSchema, templateSchema, timeOfDaySchema, varNameSchema } from './common.schema';

const unaryRule = z.object({ value: templateSchema, op: z.enum(['blank', 'not-blank']) });
const listRule = z.object({ value: templateSchema, op: z.literal('any-of'), operands: z.array(templateSchema).min(1).max(100) });
const binaryRule = z.object({
  value: templateSchema,
  op: z.enum([
    'equals', 'not-equals', 'contains', 'not-contains', 'starts-with', 'regex',
    'less-than', 'greater-than', 'before', 'after',
  ]),
  operand: templateSchema,
});

/** One test on a template value; `before`/`after` compare a time of day (HH:MM) or a date (YYYY-MM-DD) in the tenant's zone. */
export const conditionRuleSchema = z.union([unaryRule, listRule, binaryRule]);
export type ConditionRule = z.infer<typeof conditionRuleSchema>;
export type ConditionOperator = ConditionRule['op'];

export const conditionNodeSchema = z.object({
  type: z.literal('condition'),
  cases: z
    .array(z.object({ match: z.enum(['all', 'any']).default('all'), rules: z.array(conditionRuleSchema).min(1), next: nodeIdSchema }))
    .min(1),
  next: z.object({ else: nodeIdSchema }),
});

const openingSchema = z.object({ open: timeOfDaySchema, close: timeOfDaySchema });
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
export const weekdayNames = weekdays;

export const hoursNodeSchema = z.object({
  type: z.literal('hours'),
  timeZone: z.string().min(1).max(64),
  weekly: z.partialRecord(z.enum(weekdays), z.array(openingSchema).max(10)),
  holidays: z.array(isoDateSchema).max(366).default([]),
  next: z.object({ open: nodeIdSchema, closed: nodeIdSchema }),
});
export type OpeningHours = z.infer<typeof openingSchema>;

export const setNodeSchema = z.object({
  type: z.literal('set'),
  vars: z.record(varNameSchema, templateSchema).refine((v) => Object.keys(v).length > 0, 'must set at least one variable'),
  next: nodeIdSchema,
});

export const splitNodeSchema = z.object({
  type: z.literal('split'),
  branches: z.array(z.object({ weight: z.number().int().min(1).max(1000), next: nodeIdSchema })).min(2).max(10),
});

export const httpNodeSchema = z.object({
  type: z.literal('http'),
  method: z.enum(['GET', 'POST']),
  url: templateSchema.min(1),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name'), templateSchema).default({}),
  body: z
    .discriminatedUnion('format', [
      z.object({ format: z.literal('json'), value: z.json() }),
      z.object({ format: z.literal('form'), fields: z.record(z.string().min(1).max(64), templateSchema) }),
    ])
    .optional(),
  timeoutMs: z.number().int().min(100).max(10_000).default(5000),
  extract: z.record(varNameSchema, z.string().min(1).max(200)).default({}),
  next: z.object({ success: nodeIdSchema, failure: nodeIdSchema, timeout: nodeIdSchema }),
});

const sentOrFailed = z.object({ sent: nodeIdSchema, failed: nodeIdSchema });

export const smsNodeSchema = z.object({
  type: z.literal('sms'),
  to: templateSchema.default('{{ system.caller }}'),
  body: templateSchema.min(1).max(1600),
  next: sentOrFailed,
});

export const emailNodeSchema = z.object({
  type: z.literal('email'),
  to: templateSchema.min(1),
  subject: templateSchema.min(1).max(500),
  body: templateSchema.min(1),
  next: sentOrFailed,
});

export const couponNodeSchema = z.object({
  type: z.literal('coupon'),
  promotionId: z.string().min(1).max(64),
  to: templateSchema.default('{{ system.caller }}'),
  next: z.object({ issued: nodeIdSchema, failed: nodeIdSchema }),
});

export const optOutNodeSchema = z.object({
  type: z.literal('opt-out'),
  number: templateSchema.default('{{ system.caller }}'),
  next: z.object({ 'opted-out': nodeIdSchema, failed: nodeIdSchema }),
});
