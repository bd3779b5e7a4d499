/** Something that stops what a call is doing: a REST update, a hangup, a bridge from a queue. */
export type Interrupt =
  | { kind: 'redirect'; url: string; method: 'GET' | 'POST' }
  | { kind: 'twiml'; xml: string }
  | { kind: 'hangup'; status: 'completed' | 'canceled'; by?: 'api' | 'caller' }
  | { kind: 'bridged'; withCallSid: string; seconds: number };

/** Thrown inside a call's run to unwind to its loop when an interrupt arrives. */
export class InterruptSignal extends Error {
  constructor(readonly interrupt: Interrupt) {
    super(`call interrupted: ${interrupt.kind}`);
  }
}

/** Thrown when the simulated caller hangs up (their patience or scripted time ran out). */
export class CallerHangup extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A failure Twilio would report (bad TwiML, unreachable webhook): it ends the call loudly. */
export class CallFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a verb asks the call to do next. */
export type Next =
  | { kind: 'continue' }
  | { kind: 'fetch'; url: string; method: 'GET' | 'POST'; params?: Record<string, string> }
  | { kind: 'twiml'; xml: string }
  | { kind: 'end'; by: 'twiml' | 'reject'; status?: 'busy' | 'failed' | 'no-answer' };
