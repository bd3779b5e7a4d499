import type { SimCall } from '../state/sim-types';

/** The parameters Twilio sends with every voice webhook of a call, plus a verb's extras. */
export function voiceParams(c: SimCall, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AccountSid: c.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: c.sid,
    CallStatus: c.status,
    Called: c.to,
    Caller: c.from,
    Direction: c.direction,
    From: c.from,
    To: c.to,
    ...(c.answeredBy ? { AnsweredBy: c.answeredBy } : {}),
    ...(c.callerName ? { CallerName: c.callerName } : {}),
    ...(c.parentCallSid ? { ParentCallSid: c.parentCallSid } : {}),
    ...extra,
  };
}
