import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** How Twilio shows a number for display: national format for North America, E.164 otherwise. */
export function formatNumber(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === '1' ? parsed.formatNational() : e164;
}
