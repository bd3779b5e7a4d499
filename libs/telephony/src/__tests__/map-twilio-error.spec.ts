import { TelephonyExceptionCode as Code } from '../telephony.exception';
import { mapTwilioError } from '../twilio/map-twilio-error';

describe('mapTwilioError', () => {
  it.each([
    [{ status: 429, code: 20429, message: 'Too Many Requests' }, Code.RateLimited, true],
    [{ status: 400, code: 21211, message: "Invalid 'To' Phone Number" }, Code.InvalidNumber, false],
    [{ status: 401, code: 20003, message: 'Authenticate' }, Code.Auth, false],
    [{ status: 404, code: 20404, message: 'not found' }, Code.NotFound, false],
    [{ status: 400, code: 21220, message: 'Call is not in-progress' }, Code.InvalidState, false],
    [{ status: 400, code: 21602, message: 'Message body is required.' }, Code.Rejected, false],
    [{ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }, Code.OptedOut, false],
    [{ status: 503, code: 20503, message: 'Service unavailable' }, Code.Unavailable, true],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), Code.Unavailable, true],
  ])('maps %o to %s', (err, code, retryable) => {
    const mapped = mapTwilioError(err, 'doing something');
    expect(mapped.code).toBe(code);
    expect(mapped.retryable).toBe(retryable);
    expect(mapped.message).toMatch(/^doing something: /);
  });
});
