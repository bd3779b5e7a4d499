import { z } from 'zod';

const keys = z.string().regex(/^[0-9*#]*$/, 'keys are 0-9, * and #');

/**
 * One answer to one `<Gather>`: the keys pressed after the prompt (a string), nothing at all
 * (null or ""), or keys pressed while the prompt is still playing (barge-in).
 */
export const pressSchema = z.union([
  keys,
  z.null(),
  z.object({ digits: keys, duringPrompt: z.boolean().default(false) }),
]);
export type Press = z.infer<typeof pressSchema>;

/** What an outside system does mid-call, when the caller hears a phrase (e.g. a CRM writing a variable). */
export const heardActionSchema = z.object({
  heard: z.string().min(1),
  request: z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.unknown().optional(),
  }),
});
export type HeardAction = z.infer<typeof heardActionSchema>;

/** How a simulated phone behaves on a call: answering, keys, talk time, patience. */
export const partyScriptSchema = z.object({
  /** Only for a phone being called: who or what picks up. */
  answer: z.enum(['human', 'busy', 'no-answer', 'machine', 'failed']).default('human'),
  /** Answers to successive `<Gather>`s, in order; when they run out, the caller presses nothing. */
  presses: z.array(pressSchema).default([]),
  /** Seconds the caller speaks into a `<Record>` before going quiet. */
  recordSeconds: z.number().int().min(0).default(4),
  /** Keys pressed to end a `<Record>` (e.g. "#"); none lets it end on silence. */
  recordFinishKey: z.string().regex(/^[0-9*#]?$/).optional(),
  /** Seconds a bridged party talks before hanging up, when reached by `<Dial>`. */
  talkSeconds: z.number().min(0).default(20),
  /** The caller hangs up once the call has lasted this many (simulated) seconds. */
  hangupAfterSeconds: z.number().positive().optional(),
  /** Real milliseconds per simulated second while waiting in a queue: a 60 s queue timeout takes 3 s at 50. */
  holdMsPerSecond: z.number().min(0).default(50),
  /** Real milliseconds a caller waits on hold (in a queue, endless music, a hold loop) before hanging up. */
  holdPatienceMs: z.number().int().min(0).default(30_000),
  /**
   * A person at the phone page: prompts play in real time and keys come from
   * POST /sim/calls/{sid}/keys as they are pressed, instead of from `presses`.
   */
  interactive: z.boolean().default(false),
  /** What happens to SMS sent to this phone: delivered, or undelivered (30003) / failed (30006). */
  sms: z.enum(['delivered', 'undelivered', 'failed']).default('delivered'),
  /** Requests made when the caller hears a phrase, before the call goes on. */
  onHeard: z.array(heardActionSchema).default([]),
});
export type PartyScript = z.infer<typeof partyScriptSchema>;
export type PartyScriptInput = z.input<typeof partyScriptSchema>;

export const defaultPartyScript = (): PartyScript => partyScriptSchema.parse({});
