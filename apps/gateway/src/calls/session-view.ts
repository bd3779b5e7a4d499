import { effectiveVariables, publishableVariables, type StoredSession } from '@ringflow/session';

/** A live call as the session API shows it: where it stands and its variables; never sensitive digits. */
export function sessionView({ session, version }: StoredSession) {
  return {
    callSid: session.callSid,
    status: session.endedAt === null ? ('active' as const) : ('ended' as const),
    direction: session.system.direction,
    caller: session.system.caller,
    called: session.system.called,
    flow: { id: session.flowId, version: session.flowVersion },
    startedAt: session.startedAt,
    updatedAt: session.updatedAt,
    endedAt: session.endedAt,
    /** The node waiting for the caller (or for Twilio), null between steps or once ended. */
    awaiting: session.state.awaiting?.nodeId ?? null,
    path: session.state.path.slice(-50),
    variables: publishableVariables(effectiveVariables(session)),
    /** Names set from outside that the flow will see at its next step. */
    pendingVariables: Object.keys(session.pendingVars),
    version,
  };
}

/** One line of the active-call list. */
export function activeCallView(stored: StoredSession) {
  const { callSid, direction, caller, called, flow, startedAt, awaiting } = sessionView(stored);
  return { callSid, direction, caller, called, flow, startedAt, awaiting };
}

export function etagOf(version: number): string {
  return `"${version}"`;
}
