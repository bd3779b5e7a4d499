import type { SimStore } from '../state/sim-store';
import type { SimAccount, SimCall } from '../state/sim-types';
import type { PartyScript, Press } from './party-script';
import type { TranscriptEventInput } from './transcript';
import type { PromptVerb, VoiceVerb } from './twiml/voice-verbs';
import type { SmsEngine } from '../sms/sms-engine';
import type { Interrupt, Next } from './call-signals';
import type { DigitsResult } from './verbs/collect-digits';

/** What a verb executor may see and do on the call it runs in. */
export interface CallContext {
  readonly call: SimCall;
  readonly account: SimAccount;
  readonly script: PartyScript;
  readonly store: SimStore;
  readonly sms: SmsEngine;
  readonly publicBaseUrl: string;
  /** The URL of the TwiML document being run; relative URLs and default actions resolve to it. */
  documentUrl: string | null;
  resolve(url: string | null): string;
  record(event: TranscriptEventInput): Promise<void>;
  /** Moves the call's clock on; throws if the caller hangs up or an interrupt arrives meanwhile. */
  advance(seconds: number, stopOnKeys?: boolean): Promise<void>;
  /** On an interactive call: waits for the person's keys to complete a <Gather>'s input. */
  awaitKeys(opts: { timeout: number; numDigits?: number; finishOnKey: string }): Promise<DigitsResult>;
  /** The caller's answer to the next <Gather>, if the script has one left. */
  nextPress(): Press | undefined;
  /** The parameters Twilio sends with every voice webhook of this call, plus extras. */
  params(extra?: Record<string, string>): Record<string, string>;
  /** Waits in real time until an interrupt arrives (returned) or the time runs out (null). */
  waitForInterrupt(ms: number): Promise<Interrupt | null>;
  /** Takes an interrupt that arrived, so the verb handles it itself (queue bridges). */
  takeInterrupt(kinds: Interrupt['kind'][]): Interrupt | null;
  /** Fetches (or parses) a TwiML document; the fetched URL becomes the document URL. */
  load(next: Extract<Next, { kind: 'fetch' | 'twiml' }>, opts?: { waitUrl?: boolean }): Promise<VoiceVerb[]>;
  /** Runs `fn` with the call on hold: simulated time passes at the caller's hold pace, in real time. */
  onHold<T>(fn: () => Promise<T>): Promise<T>;
  /** Plays a prompt to the caller; true when keys pressed meanwhile cut it short (stopOnKeys). */
  hear(p: PromptVerb, interrupted: boolean, stopOnKeys?: boolean): Promise<boolean>;
  /** Starts a call leg to another number (a <Dial> target) and returns its SID. */
  dialLeg(to: string, from: string): SimCall;
  endLeg(leg: SimCall, status: SimCall['status'], seconds: number): void;
  dequeueFront(queueName: string, bridge: { withCallSid: string; seconds: number }): SimCall | null;
}
