import twilio from 'twilio';
import type { FallbackConfig } from '@ringflow/flow';

/** What a caller hears when their call cannot go on, unless the tenant set its own (see tenantFallback). */
export const defaultFallback: FallbackConfig = {
  apology: 'We are sorry, we cannot take your call right now. Please try again later. Goodbye.',
  then: { kind: 'hangup' },
};

export function fallbackTwiml(fallback: FallbackConfig = defaultFallback): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say({ ...(fallback.voice ? { voice: fallback.voice as never } : {}), ...(fallback.language ? { language: fallback.language as never } : {}) }, fallback.apology);
  if (fallback.then.kind === 'transfer') response.dial({ timeout: 30 }, fallback.then.number);
  response.hangup();
  return response.toString();
}

/** The answer to a call to a number no tenant owns. */
export function rejectTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.reject();
  return response.toString();
}

/** The answer to a webhook of a call that has already ended. */
export function hangupTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.hangup();
  return response.toString();
}
