import { z } from 'zod';
import { partyScriptSchema } from '../voice/party-script';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number like +15551234567');

export const accountInputSchema = z.object({
  sid: z.string().regex(/^AC[0-9a-fA-F]{32}$/).optional(),
  token: z.string().min(8).optional(),
  friendlyName: z.string().optional(),
  cps: z.number().int().positive().default(1),
  mps: z.number().int().positive().default(10),
});

export const numberInputSchema = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/),
  phoneNumber: e164,
  voiceUrl: z.string().url().optional(),
  smsUrl: z.string().url().optional(),
  statusCallback: z.string().url().optional(),
  friendlyName: z.string().optional(),
});

export const phoneInputSchema = partyScriptSchema.extend({ callerName: z.string().optional() });

export const callInputSchema = z.object({
  from: e164,
  to: e164,
  script: partyScriptSchema.default(partyScriptSchema.parse({})),
  /** Wait for the call to end and answer with its transcript. */
  wait: z.boolean().default(false),
  timeoutMs: z.number().int().positive().max(600_000).default(60_000),
});

export const smsInputSchema = z.object({ from: e164, to: e164, body: z.string().min(1).max(1600) });

export const keysInputSchema = z.object({ digits: z.string().regex(/^[0-9*#]+$/, 'keys are 0-9, * and #') });
