import type { CallInfo } from '@ringflow/telephony';
import { TelephonyException, TelephonyExceptionCode } from '@ringflow/telephony';

const OVER = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** Twilio ends every call after 4 hours at most: a call idle that long is over, whatever Twilio says or not. */
export const TWILIO_MAX_CALL_MS = 4 * 3600 * 1000;

/** Why Twilio could not tell the sweeper how a call stands; `unknown-<reason>` becomes the record's outcome. */
export type UnknownReason = 'no-credentials' | 'credentials-refused' | 'not-at-twilio' | 'twilio-refused' | 'twilio-unreachable';

/** What the sweeper does with an idle call. */
export type SweepVerdict =
  | { kind: 'over'; info: CallInfo }
  | { kind: 'live' }
  | { kind: 'unknown'; reason: UnknownReason; detail: string }
  | { kind: 'give-up'; reason: UnknownReason; detail: string };

/** What Twilio answered about a call (its call resource, or the error it raised; undefined: no credentials). */
export type TwilioAnswer = { info: CallInfo } | { error: unknown } | undefined;

/**
 * Decides an idle call's fate from Twilio's answer. Over (a final status): close it with Twilio's status. Queued,
 * ringing or in progress: leave it. Twilio cannot tell (no credentials, refused, 404): give up after `giveUpMs`
 * idle; Twilio unreachable: only after Twilio's own 4-hour limit, since the call may well be going on.
 */
export function sweepVerdict(answer: TwilioAnswer, idleMs: number, giveUpMs: number): SweepVerdict {
  if (answer && 'info' in answer) return OVER.has(answer.info.status) ? { kind: 'over', info: answer.info } : { kind: 'live' };
  let reason: UnknownReason;
  let detail: string;
  if (answer === undefined) {
    reason = 'no-credentials';
    detail = 'the tenant has no Twilio credentials';
  } else {
    const error = answer.error;
    const code = error instanceof TelephonyException ? error.code : undefined;
    if (code === TelephonyExceptionCode.NotFound) reason = 'not-at-twilio';
    else if (code === TelephonyExceptionCode.Auth) reason = 'credentials-refused';
    else if (code === undefined || (error as TelephonyException).retryable) reason = 'twilio-unreachable';
    else reason = 'twilio-refused';
    detail = error instanceof Error ? error.message : String(error);
  }
  const bound = reason === 'twilio-unreachable' ? Math.max(giveUpMs, TWILIO_MAX_CALL_MS) : giveUpMs;
  return idleMs >= bound ? { kind: 'give-up', reason, detail } : { kind: 'unknown', reason, detail };
}
