import { z } from 'zod';
import { heardActionSchema, partyScriptSchema, pressSchema } from '../voice/party-script';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +15551234567');
const callStatus = z.enum(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** What must be true of a finished call. */
const callExpectation = z
  .object({
    /** Phrases the caller must hear, in this order (case-insensitive substrings). */
    heard: z.array(z.string().min(1)).default([]),
    /** Phrases the caller must not hear. */
    notHeard: z.array(z.string().min(1)).default([]),
    status: callStatus.default('completed'),
    answeredBy: z.string().optional(),
    /** Whether the call may end in a simulator-detected failure (bad TwiML, webhook error). */
    failure: z.union([z.literal(false), z.string()]).default(false),
  })
  .strict();

const callStep = z
  .object({
    /** Names the call, for a later `awaitCall`. */
    id: z.string().min(1).optional(),
    /** Start the call and go on to the next step; `awaitCall` (or the scenario's end) checks it. */
    background: z.boolean().default(false),
    from: e164,
    to: e164,
    presses: z.array(pressSchema).default([]),
    hangupAfterSeconds: z.number().positive().optional(),
    recordSeconds: z.number().int().min(0).optional(),
    holdPatienceMs: z.number().int().min(0).optional(),
    onHeard: z.array(heardActionSchema).default([]),
    timeoutMs: z.number().int().positive().default(60_000),
    expect: callExpectation.default(callExpectation.parse({})),
  })
  .strict()
  .refine((c) => !c.background || c.id, { message: 'a background call needs an id, to await it later', path: ['id'] });

const awaitCallStep = z.object({ id: z.string().min(1) }).strict();

const expectCallStep = z
  .object({
    /** The number the platform calls. */
    to: e164,
    within: z.number().int().positive().default(10_000),
    /** How that phone behaves (sets its script before the call comes). */
    script: partyScriptSchema.partial().optional(),
    timeoutMs: z.number().int().positive().default(60_000),
    expect: callExpectation.default(callExpectation.parse({})),
  })
  .strict();

const smsStep = z
  .object({ from: e164, to: e164, body: z.string().min(1), expectReply: z.string().optional() })
  .strict();

const expectSmsStep = z
  .object({ to: e164, contains: z.string().min(1), from: e164.optional(), within: z.number().int().positive().default(10_000) })
  .strict();

const requestStep = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.unknown().optional(),
    expectStatus: z.number().int().optional(),
  })
  .strict();

export const scenarioStepSchema = z.union([
  z.object({ call: callStep }).strict(),
  z.object({ awaitCall: awaitCallStep }).strict(),
  z.object({ expectCall: expectCallStep }).strict(),
  z.object({ sms: smsStep }).strict(),
  z.object({ expectSms: expectSmsStep }).strict(),
  z.object({ request: requestStep }).strict(),
  z.object({ wait: z.number().int().min(0).max(600_000) }).strict(),
]);

const setupSchema = z
  .object({
    accounts: z
      .array(z.object({ ref: z.string().min(1), sid: z.string().optional(), token: z.string().optional(), cps: z.number().int().positive().optional(), mps: z.number().int().positive().optional() }).strict())
      .default([]),
    numbers: z
      .array(z.object({ account: z.string().min(1), number: e164, voiceUrl: z.string().url().optional(), smsUrl: z.string().url().optional(), statusCallback: z.string().url().optional() }).strict())
      .default([]),
    phones: z.record(e164, partyScriptSchema.partial().extend({ callerName: z.string().optional() })).default({}),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    setup: setupSchema.default(setupSchema.parse({})),
    steps: z.array(scenarioStepSchema).min(1),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof scenarioStepSchema>;
export type CallExpectation = z.infer<typeof callExpectation>;
