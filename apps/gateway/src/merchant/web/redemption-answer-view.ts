import { formatSerial, type RedemptionResult } from '@ringflow/campaign';
import type { DeskAnswer } from '../redemption-desk.service';

/** What the cashier reads after typing a serial. */
export interface AnswerView {
  outcome: string;
  tone: 'good' | 'bad' | 'warn';
  title: string;
  lines: string[];
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A moment as the tenant's staff read it: `2026-07-04 11:30 PDT` in the tenant's time zone (an IANA name). */
export function whenText(at: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    });
    if (formats.size >= 1_000) formats.clear();
    formats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute} ${part.timeZoneName}`;
}

/** Whether the answer shows a date, and so needs the tenant's time zone. */
export function showsDate(answer: DeskAnswer): boolean {
  return answer.kind === 'answered' && (answer.result.outcome === 'already-redeemed' || answer.result.outcome === 'expired');
}

function resultView(result: RedemptionResult, timeZone: string): AnswerView {
  switch (result.outcome) {
    case 'redeemed':
      return {
        outcome: 'redeemed', tone: 'good', title: 'Redeemed',
        lines: [`Offer: ${result.promotion.offer}`, `Discount: ${result.promotion.discount}`, `Code ${formatSerial(result.coupon.serial)}`],
      };
    case 'already-redeemed':
      return { outcome: 'already-redeemed', tone: 'bad', title: 'Already redeemed', lines: [`On ${whenText(result.at, timeZone)}`, `By ${result.merchant.name}`] };
    case 'expired':
      return { outcome: 'expired', tone: 'bad', title: 'Expired', lines: [`This coupon expired on ${whenText(result.expiredAt, timeZone)}.`] };
    case 'unknown':
      return { outcome: 'unknown', tone: 'bad', title: 'Unknown code', lines: ['No coupon has this code. Check it with the customer.'] };
    case 'check-failed':
      return { outcome: 'check-failed', tone: 'warn', title: 'Check the code', lines: ['A character looks mistyped: compare the code with the customer\'s SMS.'] };
    case 'malformed':
      return { outcome: 'malformed', tone: 'warn', title: 'Check the code', lines: [`${result.reason[0].toUpperCase()}${result.reason.slice(1)}.`] };
  }
}

/** `timeZone` is the tenant's (dates are shown in it); UTC when the answer shows no date. */
export function answerView(answer: DeskAnswer, timeZone = 'UTC'): AnswerView {
  if (answer.kind === 'slowed') {
    return { outcome: 'slowed', tone: 'warn', title: 'Too many attempts', lines: [`Wait ${answer.retryAfterSeconds} seconds before trying another code.`] };
  }
  return resultView(answer.result, timeZone);
}
