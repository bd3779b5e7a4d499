import type { Logger } from 'pino';
import type { SmsEngine } from '../sms/sms-engine';
import type { SimStore } from '../state/sim-store';
import type { CallStatus, SimAccount, SimCall } from '../state/sim-types';
import type { CallContext } from './call-context';
import { CallerHangup, CallFailure, type Interrupt, InterruptSignal, type Next } from './call-signals';
import type { Press } from './party-script';
import type { StatusCallbackSender } from './status-callbacks';
import type { TranscriptEventInput } from './transcript';
import type { PromptVerb, VoiceVerb } from './twiml/voice-verbs';
import { parseOrFail, requestTwiml, resolveUrl, verbsOfAnswer } from './twiml-document';
import { runVerb } from './verbs/run-verb';
import { bridgeFrontOfQueue, createDialLeg, endDialLeg } from './call-legs';
import { HeardActions } from './heard-actions';
import { HoldLoopDetector } from './hold-loop-detector';
import { promptSeconds } from './verbs/prompt-duration';
import type { DigitsResult } from './verbs/collect-digits';
import { CallInbox } from './call-inbox';
import { voiceParams } from './voice-params';

/** Twilio's own cap on a call's length. */
const MAX_CALL_SECONDS = 14_400;
/** More TwiML fetches than this on one call is taken as a loop in the application. */
const MAX_DOCUMENTS = 100;

export interface SessionDeps {
  store: SimStore;
  sms: SmsEngine;
  log: Logger;
  publicBaseUrl: string;
  /** Real milliseconds per simulated second (0: calls run as fast as their webhooks answer). */
  realMsPerSecond: number;
  /** Another running call, to bridge from a queue. */
  sessionOf(callSid: string): CallSession | undefined;
}

/** One simulated call following TwiML: the caller's side of a Twilio call. */
export class CallSession implements CallContext {
  documentUrl: string | null = null;
  private readonly inbox = new CallInbox();
  private pressIndex = 0;
  private holding = false;
  /** When the current hold loop began (real time), if the call is in one. */
  private holdLoopSince: number | null = null;
  private documents = 0;
  private readonly holdLoops = new HoldLoopDetector();
  readonly done: Promise<SimCall>;
  private readonly heardActions: HeardActions;
  private resolveDone!: (call: SimCall) => void;

  constructor(
    private readonly deps: SessionDeps,
    readonly call: SimCall,
    readonly account: SimAccount,
    readonly status: StatusCallbackSender,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.heardActions = new HeardActions(call.script.onHeard, (m) => this.warn(m));
  }

  get script() { return this.call.script; }
  get store(): SimStore { return this.deps.store; }
  get sms(): SmsEngine { return this.deps.sms; }
  get publicBaseUrl(): string { return this.deps.publicBaseUrl; }

  /** Delivers a REST update, a hangup or a bridge to the running call. */
  interrupt(i: Interrupt): void {
    this.inbox.interrupt(i);
  }

  resolve(url: string | null): string {
    return resolveUrl(url, this.documentUrl);
  }

  async record(event: TranscriptEventInput): Promise<void> {
    this.call.transcript.push({ at: Math.round(this.call.elapsedSeconds * 10) / 10, ...event } as SimCall['transcript'][number]);
    this.call.dateUpdated = new Date();
    if (event.kind === 'say') {
      for (const done of await this.heardActions.fire(event.text)) {
        this.call.transcript.push({ at: Math.round(this.call.elapsedSeconds * 10) / 10, ...done });
      }
    }
  }

  async advance(seconds: number, stopOnKeys = false): Promise<void> {
    const limit = Math.min(this.script.hangupAfterSeconds ?? MAX_CALL_SECONDS, MAX_CALL_SECONDS);
    if (this.call.elapsedSeconds + seconds >= limit) {
      this.call.elapsedSeconds = limit;
      throw new CallerHangup(`the caller hung up after ${limit}s`);
    }
    const msPerSecond = this.script.interactive ? 1000 : this.holding ? Math.max(this.deps.realMsPerSecond, this.script.holdMsPerSecond) : this.deps.realMsPerSecond;
    if (msPerSecond > 0 && seconds > 0) {
      const started = Date.now();
      const until = started + seconds * msPerSecond;
      while (Date.now() < until && !this.inbox.pending && !(stopOnKeys && this.inbox.keys)) await this.inbox.wait(until - Date.now());
      seconds = Math.min(seconds, (Date.now() - started) / msPerSecond);
    }
    this.call.elapsedSeconds += seconds;
    this.checkpoint();
  }

  async onHold<T>(fn: () => Promise<T>): Promise<T> {
    this.holding = true;
    try {
      return await fn();
    } finally {
      this.holding = false;
    }
  }

  /** Keys pressed by a person on an interactive call (the phone page). */
  pressKeys(digits: string): void {
    this.inbox.pressKeys(digits);
  }

  async awaitKeys(opts: { timeout: number; numDigits?: number; finishOnKey: string }): Promise<DigitsResult> {
    const result = await this.inbox.awaitKeys(opts, (seconds) => (this.call.elapsedSeconds += seconds));
    this.checkpoint();
    return result;
  }

  nextPress(): Press | undefined {
    return this.script.presses[this.pressIndex++];
  }

  params(extra: Record<string, string> = {}): Record<string, string> {
    return voiceParams(this.call, extra);
  }

  waitForInterrupt(ms: number): Promise<Interrupt | null> {
    return this.inbox.wait(ms);
  }

  takeInterrupt(kinds: Interrupt['kind'][]): Interrupt | null {
    return this.inbox.take(kinds);
  }

  async hear(p: PromptVerb, interrupted: boolean, stopOnKeys = false): Promise<boolean> {
    if (p.verb !== 'Pause' && p.loop === 0 && !interrupted) {
      await this.holdEndlessly(p);
      return false;
    }
    const seconds = promptSeconds(p);
    const index = this.call.transcript.length;
    if (p.verb === 'Say') await this.record({ kind: 'say', text: p.text, interrupted });
    else if (p.verb === 'Play') await this.record({ kind: 'play', url: p.url ?? `digits:${p.digits}`, interrupted });
    else await this.record({ kind: 'pause', seconds: p.length });
    await this.advance(interrupted ? seconds / 2 : seconds, stopOnKeys);
    if (!stopOnKeys || !this.inbox.keys) return false;
    const event = this.call.transcript[index];
    if (event.kind === 'say' || event.kind === 'play') event.interrupted = true;
    return true;
  }

  /** A prompt looped forever (hold music): the caller listens, in real time, until someone acts or patience ends. */
  private async holdEndlessly(p: Exclude<PromptVerb, { verb: 'Pause' }>): Promise<void> {
    if (p.verb === 'Say') await this.record({ kind: 'say', text: p.text, interrupted: false });
    else await this.record({ kind: 'play', url: p.url ?? `digits:${p.digits}`, interrupted: false });
    await this.holdForSomeone('endless hold music');
  }


  /** Waits in real time for an interrupt (a REST update); the caller hangs up when patience runs out. */
  private async holdForSomeone(what: string): Promise<void> {
    const started = Date.now();
    const interrupt = await this.waitForInterrupt(this.script.holdPatienceMs);
    this.call.elapsedSeconds += (Date.now() - started) / 1000;
    if (!interrupt) throw new CallerHangup(`gave up on ${what} after ${this.script.holdPatienceMs} ms`);
    this.checkpoint();
  }

  dialLeg(to: string, from: string): SimCall {
    return createDialLeg(this.store, this.call, to, from);
  }

  endLeg(leg: SimCall, status: CallStatus, seconds: number): void {
    endDialLeg(leg, status, seconds);
  }

  dequeueFront(queueName: string, bridge: { withCallSid: string; seconds: number }): SimCall | null {
    return bridgeFrontOfQueue(this.store.queueByName(this.account.sid, queueName), bridge, this.deps.sessionOf);
  }

  /** Runs the call from its first TwiML to its end; never throws. */
  async run(start: Next): Promise<void> {
    let next: Next = start;
    let endStatus: CallStatus = 'completed';
    try {
      for (;;) {
        try {
          if (next.kind === 'end') {
            await this.record({ kind: 'hangup', by: next.by });
            endStatus = this.call.startTime ? 'completed' : (next.status ?? 'completed');
            break;
          }
          if (next.kind === 'continue') {
            await this.record({ kind: 'hangup', by: 'end-of-twiml' });
            break;
          }
          const verbs = await this.load(next);
          this.checkpoint();
          next = this.holdLoopSince === null ? await this.execute(verbs) : await this.onHold(() => this.execute(verbs));
        } catch (err) {
          if (!(err instanceof InterruptSignal)) throw err;
          this.inbox.pending = null;
          const i = err.interrupt;
          if (i.kind === 'hangup') {
            await this.record({ kind: 'hangup', by: i.by ?? 'api' });
            endStatus = i.status;
            break;
          }
          if (i.kind === 'redirect') {
            await this.record({ kind: 'redirect', url: i.url, by: 'api' });
            next = { kind: 'fetch', url: i.url, method: i.method };
          } else if (i.kind === 'twiml') {
            await this.record({ kind: 'redirect', url: '(inline TwiML)', by: 'api' });
            next = { kind: 'twiml', xml: i.xml };
          }
        }
      }
    } catch (err) {
      await this.endBadly(err);
    }
    await this.finish(endStatus);
  }

  private checkpoint(): void {
    const pending = this.inbox.pending;
    if (pending && pending.kind !== 'bridged') throw new InterruptSignal(pending);
  }

  private async execute(verbs: VoiceVerb[]): Promise<Next> {
    if (verbs[0]?.verb !== 'Reject') await this.answerIfRinging();
    for (const verb of verbs) {
      const next = await runVerb(this, verb, (m) => this.warn(m));
      if (next.kind !== 'continue') return next;
    }
    return { kind: 'continue' };
  }

  async load(next: Extract<Next, { kind: 'fetch' | 'twiml' }>, opts: { waitUrl?: boolean } = {}): Promise<VoiceVerb[]> {
    if (next.kind === 'twiml') return parseOrFail(next.xml, 'inline TwiML');
    if (!opts.waitUrl) {
      if (++this.documents > MAX_DOCUMENTS) {
        throw new CallFailure(11200, `the call fetched more than ${MAX_DOCUMENTS} TwiML documents: the application loops`);
      }
      this.noticeHoldLoop(next);
    }
    const res = await requestTwiml({ url: next.url, method: next.method, params: this.params(next.params), authToken: this.account.authToken });
    await this.record({ kind: 'webhook', url: next.url, method: next.method, httpStatus: res.status });
    const verbs = verbsOfAnswer(next, res);
    this.documentUrl = next.url;
    return verbs;
  }

  /**
   * A turn of a hold loop (see HoldLoopDetector) is played at the caller's hold pace, in real
   * time, and does not count toward the loop guard; the caller hangs up once holdPatienceMs pass.
   */
  private noticeHoldLoop(next: Extract<Next, { kind: 'fetch' }>): void {
    const holding = this.holdLoops.isHolding(`${next.method} ${next.url} ${JSON.stringify(next.params ?? {})}`, this.call.transcript);
    if (!holding) {
      this.holdLoopSince = null;
      return;
    }
    this.documents--;
    this.holdLoopSince ??= Date.now();
    if (Date.now() - this.holdLoopSince > this.script.holdPatienceMs) {
      throw new CallerHangup(`gave up on a hold loop on ${next.url} after ${this.script.holdPatienceMs} ms`);
    }
  }

  private async endBadly(err: unknown): Promise<void> {
    if (err instanceof CallerHangup) {
      await this.record({ kind: 'hangup', by: 'caller' });
      return;
    }
    const failure = err instanceof CallFailure ? err : new CallFailure(11200, `simulator error: ${(err as Error).message}`);
    this.call.failure = `${failure.code}: ${failure.message}`;
    this.deps.log.error({ callSid: this.call.sid, code: failure.code, reason: failure.message }, 'simulated call failed');
    await this.record({ kind: 'error', code: failure.code, message: failure.message });
    await this.answerIfRinging();
    await this.record({ kind: 'say', text: 'We are sorry, an application error has occurred. Goodbye.', interrupted: false });
    await this.record({ kind: 'hangup', by: 'error' });
  }

  /** Twilio answers an inbound call once its TwiML does something other than <Reject>. */
  private async answerIfRinging(): Promise<void> {
    if (this.call.status !== 'ringing') return;
    this.call.status = 'in-progress';
    this.call.startTime = new Date();
    await this.record({ kind: 'status', status: 'in-progress' });
  }

  /** Ends a call that was never answered: busy, no answer, failed or canceled. */
  async endUnanswered(status: CallStatus): Promise<void> {
    await this.finish(status);
  }

  private async finish(status: CallStatus): Promise<void> {
    const queue = this.store.queueOfCall(this.call.sid);
    if (queue) queue.members = queue.members.filter((m) => m.callSid !== this.call.sid);
    this.call.status = this.call.startTime ? status : status === 'completed' ? 'canceled' : status;
    this.call.endTime = new Date();
    this.call.dateUpdated = this.call.endTime;
    await this.record({ kind: 'status', status: this.call.status });
    await this.status.send('completed', this.call, this.params());
    this.store.events.emit('call-ended', this.call);
    this.resolveDone(this.call);
  }

  private warn(message: string): void {
    this.deps.log.warn({ callSid: this.call.sid }, message);
  }
}
