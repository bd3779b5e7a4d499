import { passesLuhn } from './luhn';

/** How a menu answer was understood. */
export type MenuMatch = { kind: 'key'; key: string } | { kind: 'no-input' } | { kind: 'invalid' };

/** Matches the digits Twilio posted against the menu's keys; only the first key counts. */
export function matchMenuKey(digits: string | undefined, keys: readonly string[]): MenuMatch {
  const pressed = (digits ?? '').trim();
  if (pressed === '') return { kind: 'no-input' };
  const key = pressed[0];
  return keys.includes(key) ? { kind: 'key', key } : { kind: 'invalid' };
}

export interface DigitRules {
  minDigits: number;
  maxDigits: number;
  pattern?: string;
  luhn: boolean;
}

/** How collected digits were judged. */
export type DigitsVerdict = { kind: 'valid'; digits: string } | { kind: 'no-input' } | { kind: 'invalid'; reason: string };

/** Judges collected digits against length, pattern and Luhn rules. */
export function judgeDigits(raw: string | undefined, rules: DigitRules): DigitsVerdict {
  const digits = (raw ?? '').replace(/[#*]$/, '').trim();
  if (digits === '') return { kind: 'no-input' };
  if (!/^\d+$/.test(digits)) return { kind: 'invalid', reason: 'not-digits' };
  if (digits.length < rules.minDigits) return { kind: 'invalid', reason: 'too-short' };
  if (digits.length > rules.maxDigits) return { kind: 'invalid', reason: 'too-long' };
  if (rules.pattern !== undefined && !new RegExp(rules.pattern).test(digits)) return { kind: 'invalid', reason: 'pattern' };
  if (rules.luhn && !passesLuhn(digits)) return { kind: 'invalid', reason: 'luhn' };
  return { kind: 'valid', digits };
}
