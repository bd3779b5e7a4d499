import type { SimCall, SimMessage } from '../state/sim-types';
import { describeEvent, heardLines } from '../voice/transcript';

/** A simulated call as the control API and the scenario runner see it. */
export function callView(call: SimCall): Record<string, unknown> {
  return {
    sid: call.sid,
    accountSid: call.accountSid,
    from: call.from,
    to: call.to,
    direction: call.direction,
    status: call.status,
    answeredBy: call.answeredBy,
    parentCallSid: call.parentCallSid,
    durationSeconds: Math.round(call.elapsedSeconds),
    failure: call.failure,
    heard: heardLines(call.transcript),
    transcript: call.transcript,
    lines: call.transcript.map(describeEvent),
  };
}

export function messageView(m: SimMessage): Record<string, unknown> {
  return { sid: m.sid, accountSid: m.accountSid, from: m.from, to: m.to, body: m.body, status: m.status, direction: m.direction, dateCreated: m.dateCreated.toISOString() };
}
