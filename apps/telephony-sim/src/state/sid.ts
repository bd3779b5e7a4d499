import { randomBytes } from 'node:crypto';

/** A Twilio-style SID: a two-letter prefix and 32 hex digits. */
export function newSid(prefix: 'AC' | 'CA' | 'SM' | 'PN' | 'QU' | 'RE'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Twilio's dates: RFC 2822 in UTC, e.g. "Tue, 31 Aug 2010 20:36:28 +0000". */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

export const E164 = /^\+[1-9]\d{6,14}$/;
