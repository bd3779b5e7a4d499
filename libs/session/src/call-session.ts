import type { FlowState, SystemValues } from '@ringflow/flow';

/**
 * A keyed fingerprint of the request the last step answered (for recognising duplicates). The TwiML it answered is kept
 * beside the session document (`StepLock.lastAnswerTwiml`), not in it: a step then neither reads nor parses it.
 */
export interface AnsweredRequest {
  fingerprint: string;
  /** Only in sessions saved before the TwiML moved beside the document. */
  twiml?: string;
}

/** What the hold page of a queued caller plays (from the step that enqueued it). */
export interface HoldSettings {
  nodeId: string;
  holdMusicUrl?: string;
  holdMessage?: string;
  timeoutSeconds: number;
}

/**
 * One live call, as kept in Redis between webhooks. The flow version is pinned at the first step.
 * `state.sensitive` holds sensitive digits: never copy it to a log, record, job or API answer.
 */
export interface CallSession {
  tenantId: string;
  callSid: string;
  /** Null when the call was answered without a flow (the number has none published). */
  flowId: string | null;
  flowVersion: number | null;
  system: SystemValues;
  state: FlowState;
  /** Variables set from outside since the last step; the next step merges them into `vars`. */
  pendingVars: Record<string, unknown>;
  /** Steps taken; each rendered step URL carries it, so a stale or repeated callback is recognised. */
  seq: number;
  lastAnswer: AnsweredRequest | null;
  hold: HoldSettings | null;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
}

/** A session with its version (the ETag): every write increments it. */
export interface StoredSession {
  session: CallSession;
  version: number;
}

/** The variables the flow will see at its next step: its own, overlaid with pending outside writes. */
export function effectiveVariables(session: CallSession): Record<string, unknown> {
  return { ...session.state.vars, ...session.pendingVars };
}
