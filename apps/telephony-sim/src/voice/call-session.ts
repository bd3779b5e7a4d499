import type { Logger } from 'pino';
import { callWebhook } from '../http/signed-webhook';
import type { SmsEngine } from '../sms/sms-engine';
import { newSid } from '../state/sid';
import type { SimStore } from '../state/sim-store';
import type { CallStatus, SimAccount, SimCall } from '../state/sim-types';
import type { CallContext } from './call-context';
import { CallerHangup, CallFailure, type Interrupt, InterruptSignal, type Next } from './call-signals';
import type { Press } from './party-script';
import type { StatusCallbackSender } from './status-callbacks';
import type { TranscriptEventInput } from './transcript';
import { TwimlError } from './twiml/twiml-error';
import { parseVoiceTwiml, type PromptVerb, type VoiceVerb } from './twiml/voice-verbs';
import { runVerb } from './verbs/run-verb';
import { promptSeconds } from './verbs/prompt-duration';

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
  private pending: Interrupt | null = null;
  private wake: (() => void) | null = null;
  private pressIndex = 0;
  private documents = 0;
  private lastFetch = '';
  private sameFetches = 0;
  private transcriptAtFetch = 0;
  private readonly firedActions = new Set<number>();
  readonly done: Promise<SimCall>;
  private resolveDone!: (call: SimCall) => void;

  constructor(
    private readonly deps: SessionDeps,
    readonly call: SimCall,
    readonly account: SimAccount,
    readonly status: StatusCallbackSender,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get script() { return this.call.script; }
  get store(): SimStore { return this.deps.store; }
  get sms(): SmsEngine { return this.deps.sms; }
  get publicBaseUrl(): string { return this.deps.publicBaseUrl; }

  /** Delivers a REST update, a hangup or a bridge to the running call. */
  interrupt(i: Interrupt): void {
    this.pending = i;
    this.wake?.();
  }

  resolve(url: string | null): string {
    if (url === null || url === '') {
      if (!this.documentUrl) throw new CallFailure(11100, 'a verb without an action URL in TwiML given inline: there is no document URL to post to');
      return this.documentUrl;
    }
    try {
      return new URL(url, this.documentUrl ?? undefined).toString();
    } catch {
      throw new CallFailure(11100, `invalid URL "${url}"`);
    }
  }

  async record(event: TranscriptEventInput): Promise<void> {
    this.call.transcript.push({ at: Math.round(this.call.elapsedSeconds * 10) / 10, ...event } as SimCall['transcript'][number]);
    this.call.dateUpdated = new Date();
    if (event.kind === 'say') await this.fireHeardActions(event.text);
  }

  async advance(seconds: number): Promise<void> {
    const limit = Math.min(this.script.hangupAfterSeconds ?? MAX_CALL_SECONDS, MAX_CALL_SECONDS);
    if (this.call.elapsedSeconds + seconds >= limit) {
      this.call.elapsedSeconds = limit;
      throw new CallerHangup(`the caller hung up after ${limit}s`);
    }
    this.call.elapsedSeconds += seconds;
    if (this.deps.realMsPerSecond > 0 && seconds > 0) await this.waitForInterrupt(seconds * this.deps.realMsPerSecond);
    this.checkpoint();
  }

  nextPress(): Press | undefined {
    return this.script.presses[this.pressIndex++];
  }

  params(extra: Record<string, string> = {}): Record<string, string> {
    const c = this.call;
    return {
      AccountSid: c.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: c.sid,
      CallStatus: c.status,
      Called: c.to,
      Caller: c.from,
      Direction: c.direction,
      From: c.from,
      To: c.to,
      ...(c.answeredBy ? { AnsweredBy: c.answeredBy } : {}),
      ...(c.callerName ? { CallerName: c.callerName } : {}),
      ...(c.parentCallSid ? { ParentCallSid: c.parentCallSid } : {}),
      ...extra,
    };
  }

  async waitForInterrupt(ms: number): Promise<Interrupt | null> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
    return this.pending;
  }

  takeInterrupt(kinds: Interrupt['kind'][]): Interrupt | null {
    const p = this.pending;
    if (p && kinds.includes(p.kind)) {
      this.pending = null;
      return p;
    }
    return null;
  }

  async hear(p: PromptVerb, interrupted: boolean): Promise<void> {
    if (p.verb !== 'Pause' && p.loop === 0 && !interrupted) return this.holdEndlessly(p);
    const seconds = promptSeconds(p);
    if (p.verb === 'Say') await this.record({ kind: 'say', text: p.text, interrupted });
    else if (p.verb === 'Play') await this.record({ kind: 'play', url: p.url ?? `digits:${p.digits}`, interrupted });
    else await this.record({ kind: 'pause', seconds: p.length });
    await this.advance(interrupted ? seconds / 2 : seconds);
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
    const now = new Date();
    const leg: SimCall = {
      ...this.call,
      sid: newSid('CA'),
      from,
      to,
      direction: 'outbound-dial',
      status: 'ringing',
      parentCallSid: this.call.sid,
      phoneNumberSid: null,
      answeredBy: null,
      callerName: null,
      dateCreated: now,
      dateUpdated: now,
      startTime: now,
      endTime: null,
      elapsedSeconds: 0,
      transcript: [],
      failure: null,
    };
    this.store.calls.set(leg.sid, leg);
    return leg;
  }

  endLeg(leg: SimCall, status: CallStatus, seconds: number): void {
    leg.status = status;
    leg.elapsedSeconds = seconds;
    leg.endTime = new Date();
    leg.dateUpdated = leg.endTime;
  }

  dequeueFront(queueName: string, bridge: { withCallSid: string; seconds: number }): SimCall | null {
    const queue = this.store.queueByName(this.account.sid, queueName);
    const member = queue?.members.shift();
    const other = member ? this.deps.sessionOf(member.callSid) : undefined;
    if (!other) return null;
    other.interrupt({ kind: 'bridged', ...bridge });
    return other.call;
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
            endStatus = next.status ?? 'completed';
            break;
          }
          if (next.kind === 'continue') {
            await this.record({ kind: 'hangup', by: 'end-of-twiml' });
            break;
          }
          const verbs = await this.load(next);
          this.checkpoint();
          next = await this.execute(verbs);
        } catch (err) {
          if (!(err instanceof InterruptSignal)) throw err;
          this.pending = null;
          const i = err.interrupt;
          if (i.kind === 'hangup') {
            await this.record({ kind: 'hangup', by: 'api' });
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
    if (this.pending && this.pending.kind !== 'bridged') throw new InterruptSignal(this.pending);
  }

  private async execute(verbs: VoiceVerb[]): Promise<Next> {
    for (const verb of verbs) {
      if (verb.verb !== 'Reject') await this.answerIfRinging();
      const next = await runVerb(this, verb, (m) => this.warn(m));
      if (next.kind !== 'continue') return next;
    }
    return { kind: 'continue' };
  }

  async load(next: Extract<Next, { kind: 'fetch' | 'twiml' }>): Promise<VoiceVerb[]> {
    const source = next.kind === 'twiml' ? 'inline TwiML' : next.url;
    let xml: string;
    if (next.kind === 'twiml') {
      xml = next.xml;
    } else {
      if (++this.documents > MAX_DOCUMENTS) {
        throw new CallFailure(11200, `the call fetched more than ${MAX_DOCUMENTS} TwiML documents: the application loops`);
      }
      await this.noticeHoldLoop(next);
      let res;
      try {
        res = await callWebhook({ url: next.url, method: next.method, params: this.params(next.params), authToken: this.account.authToken });
      } catch (err) {
        throw new CallFailure(11200, `HTTP retrieval failure: ${next.method} ${next.url}: ${(err as Error).message}`);
      }
      await this.record({ kind: 'webhook', url: next.url, method: next.method, httpStatus: res.status });
      if (res.status >= 400) {
        throw new CallFailure(11200, `HTTP retrieval failure: ${next.method} ${next.url} answered ${res.status}: ${res.body.slice(0, 200)}`);
      }
      if (!/xml/i.test(res.contentType)) {
        throw new CallFailure(12300, `invalid Content-Type "${res.contentType}" from ${next.url}: TwiML must be text/xml or application/xml`);
      }
      this.documentUrl = next.url;
      xml = res.body;
    }
    try {
      return parseVoiceTwiml(xml);
    } catch (err) {
      if (err instanceof TwimlError) throw new CallFailure(err.code, `${source}: ${err.message}`);
      throw err;
    }
  }

  /**
   * Hold loops (music, then <Redirect> back to the same URL) are how apps keep a caller
   * waiting: when the same document comes round a third time and the caller only listened
   * in between (no <Gather>, <Record> or <Dial>), each further turn waits in real time for
   * someone to act, instead of spinning through hours of simulated music.
   */
  private async noticeHoldLoop(next: Extract<Next, { kind: 'fetch' }>): Promise<void> {
    const key = `${next.method} ${next.url} ${JSON.stringify(next.params ?? {})}`;
    const since = this.call.transcript.slice(this.transcriptAtFetch);
    const onlyListened = since.some((e) => e.kind === 'say' || e.kind === 'play' || e.kind === 'pause') && !since.some((e) => e.kind === 'gather' || e.kind === 'record' || e.kind === 'dial');
    this.sameFetches = key === this.lastFetch && onlyListened ? this.sameFetches + 1 : 1;
    this.lastFetch = key;
    this.transcriptAtFetch = this.call.transcript.length;
    if (this.sameFetches >= 3) {
      this.documents--;
      await this.holdForSomeone(`a hold loop on ${next.url}`);
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

  private async fireHeardActions(text: string): Promise<void> {
    for (const [i, action] of this.script.onHeard.entries()) {
      if (this.firedActions.has(i) || !text.toLowerCase().includes(action.heard.toLowerCase())) continue;
      this.firedActions.add(i);
      const { method, url, headers, body } = action.request;
      let httpStatus: number | null = null;
      try {
        const res = await fetch(url, {
          method,
          headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        httpStatus = res.status;
      } catch (err) {
        this.warn(`outside-system request ${method} ${url} failed: ${(err as Error).message}`);
      }
      this.call.transcript.push({ at: Math.round(this.call.elapsedSeconds * 10) / 10, kind: 'action', request: `${method} ${url}`, httpStatus });
    }
  }

  private warn(message: string): void {
    this.deps.log.warn({ callSid: this.call.sid }, message);
  }
}
