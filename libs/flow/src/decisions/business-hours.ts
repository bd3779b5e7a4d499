import type { OpeningHours, Weekday } from '../schema/logic-nodes.schema';
import { parseTimeOfDay, toZonedTime } from './zoned-time';

export interface BusinessHours {
  timeZone: string;
  weekly: Partial<Record<Weekday, OpeningHours[]>>;
  holidays: string[];
}

/**
 * Whether the business is open at an instant. An opening whose close is not after its open runs past
 * midnight (22:00-02:00); a holiday closes the whole local day.
 */
export function isOpen(hours: BusinessHours, instant: Date): boolean {
  const local = toZonedTime(instant, hours.timeZone);
  if (hours.holidays.includes(local.date)) return false;
  const inRange = (o: OpeningHours, fromPreviousDay: boolean): boolean => {
    const open = parseTimeOfDay(o.open) ?? 0;
    const close = parseTimeOfDay(o.close) ?? 0;
    if (close > open) return !fromPreviousDay && local.minutes >= open && local.minutes < close;
    return fromPreviousDay ? local.minutes < close : local.minutes >= open;
  };
  const today = hours.weekly[local.weekday] ?? [];
  const yesterday = hours.weekly[previousDay(local.weekday)] ?? [];
  return today.some((o) => inRange(o, false)) || yesterday.some((o) => inRange(o, true));
}

const order: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
function previousDay(day: Weekday): Weekday {
  return order[(order.indexOf(day) + 6) % 7];
}
