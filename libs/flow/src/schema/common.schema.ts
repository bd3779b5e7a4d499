import { z } from 'zod';

/** A node id: letters, digits, `_` and `-`, starting with a letter. */
export const nodeIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must start with a letter and use only letters, digits, _ or - (at most 64)');

/** Names that would reach an object's prototype machinery instead of a variable. */
export const reservedVarNames: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** A variable name as used in `vars.<name>`. */
export const varNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must start with a letter or _ and use only letters, digits or _')
  .refine((name) => !reservedVarNames.includes(name), 'is a reserved name');

/** A Liquid template over `system.*`, `vars.*` and `nodes.<id>.*`. */
export const templateSchema = z.string().max(4000);

export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24 h)');
export const isoDateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date as YYYY-MM-DD');

/** Twilio's `<Say>` voices: the basic ones, Amazon Polly and Google voices. */
export const voiceSchema = z
  .string()
  .regex(
    /^(man|woman|alice|Polly\.[A-Za-z]+(-Neural|-Generative|-LongForm)?|Google\.[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9-]+)$/,
    'must be a Twilio voice: man, woman, alice, Polly.<Name>[-Neural|-Generative] or Google.<lang>-<REGION>-<Variant>',
  );

/** A language tag such as `en-US`, `cmn-CN` or `es-419`. */
export const languageSchema = z.string().regex(/^[a-z]{2,3}(-([A-Z]{2}|\d{3}))?$/, 'must be a language tag such as en-US');

const loopSchema = z.number().int().min(1).max(10).optional();

export const sayPromptSchema = z.object({
  kind: z.literal('say'),
  text: templateSchema.min(1),
  voice: voiceSchema.optional(),
  language: languageSchema.optional(),
  loop: loopSchema,
});

export const playPromptSchema = z.object({
  kind: z.literal('play'),
  url: templateSchema.min(1),
  loop: loopSchema,
});

export const pausePromptSchema = z.object({
  kind: z.literal('pause'),
  seconds: z.number().int().min(1).max(60),
});

/** Something the caller hears: speech, an audio file, or silence. */
export const promptSchema = z.discriminatedUnion('kind', [sayPromptSchema, playPromptSchema, pausePromptSchema]);
export const promptsSchema = z.array(promptSchema).max(20);

export type PromptSpec = z.infer<typeof promptSchema>;
