/** Why a telephony operation failed, in terms the apps act on. */
export enum TelephonyExceptionCode {
  /** Twilio pushed back (429 / 20429): slow down and retry later. */
  RateLimited = 'rate-limited',
  /** The number is not a valid phone number (21211 and kin). */
  InvalidNumber = 'invalid-number',
  /** The recipient texted STOP to this number: Twilio refuses to message them (21610). */
  OptedOut = 'opted-out',
  /** The tenant's credentials were refused (401 / 20003). */
  Auth = 'auth',
  /** The call, message, queue or recording does not exist (404 / 20404). */
  NotFound = 'not-found',
  /** The call is not in a state that allows this (e.g. redirecting a finished call, 21220). */
  InvalidState = 'invalid-state',
  /** Twilio refused the request for another reason (a 4xx with a Twilio code). */
  Rejected = 'rejected',
  /** Twilio could not be reached or failed (network error, timeout, 5xx). */
  Unavailable = 'unavailable',
}

/**
 * A coded telephony failure; `twilioCode` and `httpStatus` are Twilio's when it answered, `retryAfterMs` its
 * `Retry-After` on a 429 when it sent one.
 */
export class TelephonyException extends Error {
  constructor(
    readonly code: TelephonyExceptionCode,
    message: string,
    readonly twilioCode: number | null = null,
    readonly httpStatus: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'TelephonyException';
  }

  /** Whether retrying the same request later may succeed. */
  get retryable(): boolean {
    return this.code === TelephonyExceptionCode.RateLimited || this.code === TelephonyExceptionCode.Unavailable;
  }

  /**
   * Whether Twilio answered with a refusal (a 4xx), so the request certainly created nothing. False for a
   * network error, a timeout or a 5xx: a message or call may exist even though no SID came back.
   */
  get refused(): boolean {
    return this.httpStatus !== null && this.httpStatus >= 400 && this.httpStatus < 500;
  }
}
