/** Where a waiting caller stands: still waiting, or what ended the wait. */
export type WaitState = 'waiting' | 'claimed' | 'voicemail' | 'timeout' | 'hung-up';

/** A caller in a pull queue, as kept in Redis while they wait and for a few hours after (late replies). */
export interface WaitingCaller {
  callSid: string;
  queue: string;
  /** Higher is offered first; equal priorities in arrival order. */
  priority: number;
  /** The short number agents reply with (`YES 4`). */
  code: number;
  /** The caller's number and the tenant number they called (agent notices are sent from it). */
  caller: string;
  called: string;
  state: WaitState;
  /** The agent who took the caller, once claimed. */
  agentId: string | null;
  agentPhone: string | null;
  enqueuedAt: string;
}

export interface EnqueueCaller {
  callSid: string;
  queue: string;
  priority: number;
  caller: string;
  called: string;
}

/** What a YES did: took the caller, or found them gone (taken by someone, voicemail, left, hung up). */
export type ClaimResult =
  | { kind: 'claimed'; caller: WaitingCaller }
  | { kind: 'unavailable'; state: Exclude<WaitState, 'waiting'> | 'gone'; byAgentId: string | null; caller: WaitingCaller | null };

/** What a NO did: passed, passed as the last of the notified agents (to voicemail), or came too late. */
export type DeclineResult =
  | { kind: 'declined' | 'all-declined'; caller: WaitingCaller }
  | { kind: 'unavailable'; state: Exclude<WaitState, 'waiting'> | 'gone'; caller: WaitingCaller | null };
