import type { AttemptOutcome, Campaign, RetryableOutcome } from './campaign-settings';
import { RETRYABLE_OUTCOMES } from './campaign-settings';

export type AfterAttempt = { kind: 'retry'; attempt: number; delaySeconds: number } | { kind: 'final'; disposition: AttemptOutcome };

/** What follows an attempt's outcome: the next attempt after the campaign's delay for it, or the final disposition. */
export function afterAttempt(campaign: Pick<Campaign, 'maxAttempts' | 'retryDelays' | 'status'>, attempt: number, outcome: AttemptOutcome): AfterAttempt {
  const delay = RETRYABLE_OUTCOMES.includes(outcome as RetryableOutcome) ? campaign.retryDelays[outcome as RetryableOutcome] : undefined;
  if (delay === undefined || attempt >= campaign.maxAttempts || campaign.status === 'cancelled' || campaign.status === 'completed') {
    return { kind: 'final', disposition: outcome };
  }
  return { kind: 'retry', attempt: attempt + 1, delaySeconds: delay };
}

/**
 * A final call status from Twilio (status callback `CallStatus`, `AnsweredBy`) as an attempt outcome.
 * Answering machines are told apart only when detection was on (AnsweredBy machine_* / fax).
 */
export function outcomeOfCallStatus(callStatus: string, answeredBy?: string | null): AttemptOutcome | null {
  switch (callStatus) {
    case 'completed':
      return answeredBy && (answeredBy.startsWith('machine') || answeredBy === 'fax') ? 'machine' : 'human';
    case 'busy':
      return 'busy';
    case 'no-answer':
      return 'no-answer';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}
