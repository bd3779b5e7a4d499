import { newSid } from '../state/sid';
import type { SimStore } from '../state/sim-store';
import type { CallStatus, SimCall } from '../state/sim-types';

/** The child call a <Dial> places (direction outbound-dial, parent_call_sid set). */
export function createDialLeg(store: SimStore, parent: SimCall, to: string, from: string): SimCall {
  const now = new Date();
  const leg: SimCall = {
    ...parent,
    sid: newSid('CA'),
    from,
    to,
    direction: 'outbound-dial',
    status: 'ringing',
    parentCallSid: parent.sid,
    phoneNumberSid: null,
    answeredBy: null,
    callerName: null,
    dateCreated: now,
    dateUpdated: now,
    startTime: now,
    endTime: null,
    elapsedSeconds: 0,
    transcript: [],
    failure: null,
  };
  store.calls.set(leg.sid, leg);
  return leg;
}

export function endDialLeg(leg: SimCall, status: CallStatus, seconds: number): void {
  leg.status = status;
  leg.elapsedSeconds = seconds;
  leg.endTime = new Date();
  leg.dateUpdated = leg.endTime;
}
