import { getTimezonesForCountry } from 'countries-and-timezones';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CallingWindow } from '../campaign/campaign-settings';

const MINUTE = 60_000;
const LOOKAHEAD = 8 * 24 * 60 * MINUTE;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

/** Minutes after local midnight at `at` in `zone`. */
export function localMinute(at: Date, zone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatter(zone).formatToParts(at)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The zones a contact may be in: its own when known; else every zone of its number's country (a number
 * does not tell which of a country's zones); else the tenant's.
 */
export function contactZones(contact: { timeZone: string | null; phone: string }, tenantZone: string): string[] {
  if (contact.timeZone) return [contact.timeZone];
  const country = parsePhoneNumberFromString(contact.phone)?.country;
  const zones = country ? getTimezonesForCountry(country, { deprecated: false })?.map((z) => z.name) ?? [] : [];
  return zones.length ? zones : [tenantZone];
}

const inWindow = (minute: number, w: CallingWindow) => minute >= w.startMinute && minute < w.endMinute;

function nextOpenInZone(from: Date, zone: string, window: CallingWindow): Date {
  let at = from;
  // A few rounds settle daylight-saving jumps between here and the opening.
  for (let round = 0; round < 4; round++) {
    const minute = localMinute(at, zone);
    if (inWindow(minute, window)) return at;
    const ahead = minute < window.startMinute ? window.startMinute - minute : 24 * 60 - minute + window.startMinute;
    at = new Date(Math.floor(at.getTime() / MINUTE) * MINUTE + ahead * MINUTE);
    // A clock change on the way lands the guess an hour off the opening: step back onto it.
    const drift = localMinute(at, zone) - window.startMinute;
    if (drift !== 0 && Math.abs(drift) <= 120) at = new Date(at.getTime() - drift * MINUTE);
  }
  return at;
}

/**
 * The first moment at or after `now` that is inside the window in every one of `zones` (so an unknown
 * zone among several is always respected), or null when the zones never share an open moment.
 */
export function nextCallableAt(now: Date, zones: string[], window: CallingWindow): Date | null {
  let at = now;
  for (let round = 0; round < 32 && at.getTime() - now.getTime() <= LOOKAHEAD; round++) {
    const later = zones.map((zone) => nextOpenInZone(at, zone, window)).reduce((a, b) => (b > a ? b : a), at);
    if (later.getTime() === at.getTime()) return at;
    at = later;
  }
  return null;
}
