import type { FlowPorts } from '../ports';
import type { FlowState } from './flow-state';
import type { Instruction } from './instructions';

/** Who is calling whom, as the gateway knows it. */
export interface SystemValues {
  caller: string;
  called: string;
  callSid: string;
  direction: 'inbound' | 'outbound';
  tenant: string;
}

/** One webhook's worth of input. */
export interface StepInput {
  system: SystemValues;
  /** The form fields Twilio posted (Digits, DialCallStatus, RecordingUrl, QueueResult...). */
  params: Record<string, string>;
  /** Variables an outside system set since the last step (session PATCH); merged into `vars` first. */
  vars?: Record<string, unknown>;
}

/** The tenant's answer to a fault: an apology, then a transfer or a hangup. */
export interface FallbackConfig {
  apology: string;
  voice?: string;
  language?: string;
  then: { kind: 'transfer'; number: string } | { kind: 'hangup' };
}

export interface StepOptions {
  /** The clock: the runtime reads it once per step. */
  now: () => Date;
  /** Randomness in [0, 1) for `split` nodes. */
  random: () => number;
  /** The tenant's IANA time zone, for condition `before`/`after`. */
  timeZone: string;
  fallback: FallbackConfig;
  /** Nodes one step may enter before the call is ended politely (default 100). */
  maxNodesPerStep?: number;
  defaultVoice?: string;
  defaultLanguage?: string;
}

export type StepPorts = FlowPorts;

export interface StepResult {
  state: FlowState;
  instructions: Instruction[];
  /** Nodes entered in this step (never more than the cap). */
  nodesEntered: number;
  /** Set when the fallback answered: where and why, for the gateway's log (no caller input in it). */
  fault?: { nodeId: string | null; reason: string };
}
