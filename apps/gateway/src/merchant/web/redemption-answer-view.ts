import { formatSerial, type RedemptionResult } from '@ringflow/campaign';
import type { DeskAnswer } from '../redemption-desk.service';

/** What the cashier reads after typing a serial. */
export interface AnswerView {
  outcome: string;
  tone: 'good' | 'bad' | 'warn';
  title: string;
  lines: string[];
}

export function whenText(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function resultView(result: RedemptionResult): AnswerView {
  switch (result.outcome) {
    case 'redeemed':
      return {
        outcome: 'redeemed', tone: 'good', title: 'Redeemed',
        lines: [`Offer: ${result.promotion.offer}`, `Discount: ${result.promotion.discount}`, `Code ${formatSerial(result.coupon.serial)}`],
      };
    case 'already-redeemed':
      return { outcome: 'already-redeemed', tone: 'bad', title: 'Already redeemed', lines: [`On ${whenText(result.at)}`, `By ${result.merchant.name}`] };
    case 'expired':
      return { outcome: 'expired', tone: 'bad', title: 'Expired', lines: [`This coupon expired on ${whenText(result.expiredAt)}.`] };
    case 'unknown':
      return { outcome: 'unknown', tone: 'bad', title: 'Unknown code', lines: ['No coupon has this code. Check it with the customer.'] };
    case 'check-failed':
      return { outcome: 'check-failed', tone: 'warn', title: 'Check the code', lines: ['A character looks mistyped: compare the code with the customer\'s SMS.'] };
    case 'malformed':
      return { outcome: 'malformed', tone: 'warn', title: 'Check the code', lines: [`${result.reason[0].toUpperCase()}${result.reason.slice(1)}.`] };
  }
}

export function answerView(answer: DeskAnswer): AnswerView {
  if (answer.kind === 'slowed') {
    return { outcome: 'slowed', tone: 'warn', title: 'Too many attempts', lines: [`Wait ${answer.retryAfterSeconds} seconds before trying another code.`] };
  }
  return resultView(answer.result);
}
