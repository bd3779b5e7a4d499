import type { Weekday } from '../schema/logic-nodes.schema';

/** A moment as a wall clock in some zone: date `YYYY-MM-DD`, minutes since midnight, weekday. */
export interface ZonedTime {
  date: string;
  minutes: number;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdayByShort: Record<string, Weekday> = {
  Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun',
};

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the IANA time zone name is known to this runtime. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const lastByZone = new Map<string, { minute: number; zoned: ZonedTime }>();

/** The wall-clock date, time and weekday of an instant in a time zone (remembered per zone for the current minute). */
export function toZonedTime(instant: Date, timeZone: string): ZonedTime {
  const minute = Math.floor(instant.getTime() / 60_000);
  const last = lastByZone.get(timeZone);
  if (last && last.minute === minute) return last.zoned;
  const zoned = computeZonedTime(instant, timeZone);
  lastByZone.set(timeZone, { minute, zoned });
  return zoned;
}

function computeZonedTime(instant: Date, timeZone: string): ZonedTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    weekday: weekdayByShort[parts.weekday],
  };
}

/** Minutes since midnight of `HH:MM`, or null when it is not a time of day. */
export function parseTimeOfDay(text: string): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
