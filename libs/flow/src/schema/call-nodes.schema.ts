import { z } from 'zod';
import { languageSchema, nodeIdSchema, promptsSchema, templateSchema, varNameSchema, voiceSchema } from './common.schema';

const loop = z.number().int().min(1).max(10).optional();
const attempts = z.number().int().min(1).max(10).default(3);
const gatherTimeout = z.number().int().min(1).max(60).default(5);

export const sayNodeSchema = z.object({
  type: z.literal('say'),
  text: templateSchema.min(1),
  voice: voiceSchema.optional(),
  language: languageSchema.optional(),
  loop,
  next: nodeIdSchema,
});

export const playNodeSchema = z.object({ type: z.literal('play'), url: templateSchema.min(1), loop, next: nodeIdSchema });

export const pauseNodeSchema = z.object({
  type: z.literal('pause'),
  seconds: z.number().int().min(1).max(60),
  next: nodeIdSchema,
});

export const menuNodeSchema = z.object({
  type: z.literal('menu'),
  prompts: promptsSchema.min(1),
  options: z.array(z.object({ key: z.string().regex(/^[0-9*#]$/, 'must be one key: 0-9, * or #'), next: nodeIdSchema })).min(1),
  timeoutSeconds: gatherTimeout,
  attempts,
  invalidPrompts: promptsSchema.optional(),
  noInputPrompts: promptsSchema.optional(),
  next: z.object({ 'no-input': nodeIdSchema, invalid: nodeIdSchema }),
});

export const inputNodeSchema = z.object({
  type: z.literal('input'),
  prompts: promptsSchema.min(1),
  minDigits: z.number().int().min(1).max(32).default(1),
  maxDigits: z.number().int().min(1).max(32),
  finishOnKey: z.enum(['#', '*', '']).default('#'),
  timeoutSeconds: gatherTimeout,
  pattern: z.string().max(200).optional(),
  luhn: z.boolean().default(false),
  attempts,
  sensitive: z.boolean().default(false),
  invalidPrompts: promptsSchema.optional(),
  noInputPrompts: promptsSchema.optional(),
  next: z.object({ valid: nodeIdSchema, 'no-input': nodeIdSchema, invalid: nodeIdSchema }),
});

export const dialNodeSchema = z.object({
  type: z.literal('dial'),
  number: templateSchema.min(1),
  callerId: templateSchema.optional(),
  timeoutSeconds: z.number().int().min(5).max(600).default(30),
  record: z.boolean().default(false),
  next: z.object({ completed: nodeIdSchema, 'no-answer': nodeIdSchema, busy: nodeIdSchema, failed: nodeIdSchema }),
});

export const queueNodeSchema = z.object({
  type: z.literal('queue'),
  queue: templateSchema.min(1),
  priority: templateSchema.default('0'),
  holdMusicUrl: templateSchema.optional(),
  holdMessage: templateSchema.optional(),
  timeoutSeconds: z.number().int().min(10).max(3600).default(300),
  notifyAgents: z.boolean().default(true),
  next: z.object({ answered: nodeIdSchema, voicemail: nodeIdSchema, timeout: nodeIdSchema }),
});

export const voicemailNodeSchema = z.object({
  type: z.literal('voicemail'),
  prompts: promptsSchema.default([]),
  maxLengthSeconds: z.number().int().min(1).max(3600).default(120),
  transcribe: z.boolean().default(false),
  playBeep: z.boolean().default(true),
  next: z.object({ recorded: nodeIdSchema, 'no-input': nodeIdSchema }),
});

export const waitNodeSchema = z.object({
  type: z.literal('wait'),
  variable: varNameSchema,
  prompts: promptsSchema.default([]),
  pollSeconds: z.number().int().min(1).max(30).default(5),
  timeoutSeconds: z.number().int().min(1).max(3600).default(120),
  next: z.object({ set: nodeIdSchema, timeout: nodeIdSchema }),
});

export const gotoNodeSchema = z.object({ type: z.literal('goto'), target: nodeIdSchema });

export const hangupNodeSchema = z.object({ type: z.literal('hangup'), prompts: promptsSchema.default([]) });
