import { newSid } from '../state/sid';
import type { SimStore } from '../state/sim-store';
import type { CallStatus, SimCall, SimQueue } from '../state/sim-types';
import type { Interrupt } from './call-signals';

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

/** Takes the front caller out of a queue and tells its call it is bridged; null when nobody waits. */
export function bridgeFrontOfQueue(
  queue: SimQueue | undefined,
  bridge: { withCallSid: string; seconds: number },
  sessionOf: (callSid: string) => { call: SimCall; interrupt(i: Interrupt): void } | undefined,
): SimCall | null {
  const member = queue?.members.shift();
  const other = member ? sessionOf(member.callSid) : undefined;
  if (!other) return null;
  other.interrupt({ kind: 'bridged', ...bridge });
  return other.call;
}
