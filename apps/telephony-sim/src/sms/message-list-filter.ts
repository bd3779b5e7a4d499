import type { SimMessage } from '../state/sim-types';

/** A `DateSent` bound: an instant, or a whole UTC day when the value had no time of day. */
interface SentBound {
  start: number;
  /** Exclusive end: the next second, or the next day for a date. */
  end: number;
}

export type MessageListQuery = Record<string, string | undefined>;

const DAY_MS = 24 * 3600_000;

/**
 * Reads a `DateSent` value the way Twilio's Messages list takes it (`YYYY-MM-DD`, or a date and time: ISO 8601
 * as the SDK sends it, `2019-06-11 22:05:25.000` in GMT, RFC 2822, `06/11/2019 22:05:25 MST`); null when unreadable.
 */
export function parseSentBound(value: string): SentBound | null {
  const text = value.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    return Number.isNaN(start) ? null : { start, end: start + DAY_MS };
  }
  // A date and time without a zone is GMT, as Twilio's documentation says.
  const noZone = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text);
  const at = Date.parse(noZone ? `${text.replace(' ', 'T')}Z` : text);
  if (Number.isNaN(at)) return null;
  const start = Math.floor(at / 1000) * 1000;
  return { start, end: start + 1000 };
}

/** The `DateSent`, `DateSent<` and `DateSent>` filters of a list query, or the name of the first unreadable one. */
export function sentDateFilter(query: MessageListQuery): { ok: (m: SimMessage) => boolean } | { invalid: string } {
  const checks: Array<(sent: number) => boolean> = [];
  for (const [name, test] of [
    ['DateSent', (b: SentBound) => (t: number) => t >= b.start && t < b.end],
    ['DateSent<', (b: SentBound) => (t: number) => t < b.end],
    ['DateSent>', (b: SentBound) => (t: number) => t >= b.start],
  ] as const) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    const bound = parseSentBound(value);
    if (!bound) return { invalid: name };
    checks.push(test(bound));
  }
  // A message not sent yet (queued, accepted) has no date_sent: any DateSent filter leaves it out.
  return { ok: (m) => checks.length === 0 || (m.dateSent !== null && checks.every((check) => check(m.dateSent!.getTime()))) };
}
