import { TelephonyException, TelephonyExceptionCode as Code } from '../telephony.exception';

const INVALID_NUMBER_CODES = new Set([21211, 21214, 21217, 21407, 21421, 21614, 60205]);
const INVALID_STATE_CODES = new Set([21220]);

interface TwilioLikeError {
  status?: number;
  code?: number | string;
  message?: string;
  retryAfterMs?: number;
}

/** Translates what the SDK throws (RestException, network errors) into a coded TelephonyException. */
export function mapTwilioError(err: unknown, what: string): TelephonyException {
  if (err instanceof TelephonyException) return err;
  const e = (err ?? {}) as TwilioLikeError;
  const status = typeof e.status === 'number' ? e.status : null;
  const twilioCode = typeof e.code === 'number' ? e.code : null;
  const detail = `${what}: ${e.message ?? String(err)}`;
  if (status === null) return new TelephonyException(Code.Unavailable, `${what}: Twilio unreachable (${e.message ?? String(err)})`);
  if (status === 429 || twilioCode === 20429) {
    const retryAfterMs = typeof e.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs) ? e.retryAfterMs : null;
    return new TelephonyException(Code.RateLimited, detail, twilioCode, status, retryAfterMs);
  }
  if (twilioCode !== null && INVALID_NUMBER_CODES.has(twilioCode)) return new TelephonyException(Code.InvalidNumber, detail, twilioCode, status);
  if (twilioCode === 21610) return new TelephonyException(Code.OptedOut, detail, twilioCode, status);
  if (status === 401 || status === 403 || twilioCode === 20003) return new TelephonyException(Code.Auth, detail, twilioCode, status);
  if (status === 404) return new TelephonyException(Code.NotFound, detail, twilioCode, status);
  if (twilioCode !== null && INVALID_STATE_CODES.has(twilioCode)) return new TelephonyException(Code.InvalidState, detail, twilioCode, status);
  if (status >= 500) return new TelephonyException(Code.Unavailable, detail, twilioCode, status);
  return new TelephonyException(Code.Rejected, detail, twilioCode, status);
}
