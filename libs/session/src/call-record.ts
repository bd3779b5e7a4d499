import { redactState } from '@ringflow/flow';
import type { CallSession } from './call-session';

/** The durable record of a finished call. Variables never hold sensitive digits; credential-like names are masked. */
export interface CallRecord {
  callSid: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound';
  flowId: string | null;
  flowVersion: number | null;
  startedAt: Date | null;
  endedAt: Date;
  durationSeconds: number;
  outcome: string;
  nodePath: string[];
  variables: Record<string, unknown>;
}

const CREDENTIAL_NAME = /token|secret|password|passwd|api_?key|authorization|pin$/i;

/** Variables as they may be stored or shown: sensitive input is never in `vars`; credential-like names are masked. */
export function publishableVariables(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, CREDENTIAL_NAME.test(name) ? '[redacted]' : value]));
}

/** The record of a call from its session (when it had one) and Twilio's final status. */
export function callRecordOf(
  status: { callSid: string; from: string; to: string; direction: 'inbound' | 'outbound'; outcome: string; durationSeconds: number; endedAt: Date },
  session: CallSession | undefined,
): CallRecord {
  const state = session ? redactState(session.state) : undefined;
  return {
    ...status,
    from: session?.system.direction === 'outbound' ? session.system.called : (session?.system.caller ?? status.from),
    to: session?.system.direction === 'outbound' ? session.system.caller : (session?.system.called ?? status.to),
    flowId: session?.flowId ?? null,
    flowVersion: session?.flowVersion ?? null,
    startedAt: session ? new Date(session.startedAt) : null,
    nodePath: state?.path ?? [],
    variables: state ? publishableVariables(state.vars) : {},
  };
}
