import { TelephonyException, TelephonyExceptionCode, type CallInfo } from '@ringflow/telephony';
import { sweepVerdict, TWILIO_MAX_CALL_MS } from '../call-sweep-verdict';

const MIN = 60_000;
const call = (status: CallInfo['status']): { info: CallInfo } => ({
  info: { callSid: 'CA' + '0'.repeat(32), status, direction: 'inbound', from: '+15550000001', to: '+15550000002', durationSeconds: 42, answeredBy: null },
});
const failure = (code: TelephonyExceptionCode) => ({ error: new TelephonyException(code, `fetching call: ${code}`) });

describe('what the sweeper does with an idle call', () => {
  it.each(['completed', 'busy', 'failed', 'no-answer', 'canceled'] as const)('closes a call Twilio reports %s', (status) => {
    expect(sweepVerdict(call(status), 11 * MIN, 60 * MIN)).toEqual({ kind: 'over', info: call(status).info });
  });

  it.each(['queued', 'ringing', 'in-progress'] as const)('leaves a call Twilio reports %s, however long idle', (status) => {
    expect(sweepVerdict(call(status), 5 * 60 * MIN, 60 * MIN)).toEqual({ kind: 'live' });
  });

  it.each([
    [undefined, 'no-credentials'],
    [failure(TelephonyExceptionCode.NotFound), 'not-at-twilio'],
    [failure(TelephonyExceptionCode.Auth), 'credentials-refused'],
    [failure(TelephonyExceptionCode.Rejected), 'twilio-refused'],
  ] as const)('gives up on a call Twilio cannot tell about only after the give-up bound (%#: %s)', (answer, reason) => {
    expect(sweepVerdict(answer, 59 * MIN, 60 * MIN)).toMatchObject({ kind: 'unknown', reason });
    expect(sweepVerdict(answer, 60 * MIN, 60 * MIN)).toMatchObject({ kind: 'give-up', reason });
  });

  it("waits out Twilio's 4-hour call limit when Twilio cannot be reached, since the call may be going on", () => {
    for (const answer of [failure(TelephonyExceptionCode.Unavailable), failure(TelephonyExceptionCode.RateLimited), { error: new Error('socket hang up') }]) {
      expect(sweepVerdict(answer, TWILIO_MAX_CALL_MS - 1, 60 * MIN)).toMatchObject({ kind: 'unknown', reason: 'twilio-unreachable' });
      expect(sweepVerdict(answer, TWILIO_MAX_CALL_MS, 60 * MIN)).toMatchObject({ kind: 'give-up', reason: 'twilio-unreachable' });
    }
  });
});
