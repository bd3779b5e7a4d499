import type { Principal } from '@ringflow/tenancy';
import type { StoredSession } from '@ringflow/session';
import { phoneFor } from '../graphql/personal-data';
import { type ActiveCallType, CallDirectionValue } from './active-call.types';

/** What a subscriber sees of a live session: who, which flow, since when; never its variables or digits. */
export function activeCallOf(principal: Principal, { session }: StoredSession): ActiveCallType {
  const outbound = session.system.direction === 'outbound';
  return {
    callSid: session.callSid,
    direction: outbound ? CallDirectionValue.OUTBOUND : CallDirectionValue.INBOUND,
    caller: phoneFor(principal, session.system.caller),
    number: session.system.called,
    flowId: session.flowId,
    flowVersion: session.flowVersion,
    queued: session.hold !== null,
    startedAt: new Date(session.startedAt),
  };
}
