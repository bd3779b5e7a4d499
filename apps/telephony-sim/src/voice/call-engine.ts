import { newSid } from '../state/sid';
import type { CallStatus, SimAccount, SimCall, SimNumber } from '../state/sim-types';
import { FINAL_CALL_STATUSES } from '../state/sim-types';
import { CallSession, type SessionDeps } from './call-session';
import type { Interrupt, Next } from './call-signals';
import { defaultPartyScript, type PartyScript } from './party-script';
import { type CallEventName, StatusCallbackSender } from './status-callbacks';

export interface OutboundCallRequest {
  to: string;
  from: string;
  url: string | null;
  method: 'GET' | 'POST';
  twiml: string | null;
  statusCallback: string | null;
  statusCallbackMethod: 'GET' | 'POST';
  statusCallbackEvents: CallEventName[];
  machineDetection: 'Enable' | 'DetectMessageEnd' | null;
  /** Seconds to let the phone ring before giving up. */
  timeout: number;
}

/** Starts simulated calls, in and out, and routes REST updates to the running ones. */
export class CallEngine {
  private readonly sessions = new Map<string, CallSession>();

  constructor(private readonly deps: Omit<SessionDeps, 'sessionOf'>) {}

  /** A call created over REST: queued now; rings, is answered per the callee's script, then runs its TwiML. */
  placeOutbound(account: SimAccount, req: OutboundCallRequest): SimCall {
    const script = this.deps.store.phones.get(req.to) ?? defaultPartyScript();
    const call = this.newCall(account.sid, req.from, req.to, 'outbound-api', 'queued', script, null);
    const events = new Set<CallEventName>(['completed', ...req.statusCallbackEvents]);
    const status = new StatusCallbackSender(
      req.statusCallback ? { url: req.statusCallback, method: req.statusCallbackMethod, events } : null,
      account,
      (m) => this.deps.log.warn({ callSid: call.sid }, m),
    );
    const session = this.track(call, account, status);
    const start: Next = req.twiml !== null ? { kind: 'twiml', xml: req.twiml } : { kind: 'fetch', url: req.url ?? '', method: req.method };
    setImmediate(() => void this.ringOutbound(session, req, start));
    return call;
  }

  /** A phone dials a simulated number: its VoiceUrl is posted and the call follows the TwiML. */
  dialInbound(input: { from: string; to: string; script: PartyScript }): SimCall {
    const number = this.deps.store.numberByPhone(input.to);
    if (!number) throw new Error(`no simulated number ${input.to}: create it first (POST /sim/numbers)`);
    if (!number.voiceUrl) throw new Error(`number ${input.to} has no VoiceUrl configured`);
    const account = this.deps.store.accounts.get(number.accountSid);
    if (!account) throw new Error(`number ${input.to} belongs to unknown account ${number.accountSid}`);
    const call = this.newCall(account.sid, input.from, input.to, 'inbound', 'ringing', input.script, number);
    call.callerName = this.deps.store.callerNames.get(input.from) ?? null;
    const status = new StatusCallbackSender(
      number.statusCallback ? { url: number.statusCallback, method: number.statusCallbackMethod, events: new Set(['completed']) } : null,
      account,
      (m) => this.deps.log.warn({ callSid: call.sid }, m),
    );
    const session = this.track(call, account, status);
    setImmediate(() => void session.run({ kind: 'fetch', url: number.voiceUrl ?? '', method: number.voiceMethod }));
    return call;
  }

  /** Applies a REST update (redirect, new TwiML, end) to a live call; says why not if it cannot. */
  update(call: SimCall, interrupt: Interrupt): 'ok' | 'not-in-progress' {
    if (FINAL_CALL_STATUSES.includes(call.status)) return 'not-in-progress';
    const session = this.sessions.get(call.sid);
    if (!session) return 'not-in-progress';
    session.interrupt(interrupt);
    return 'ok';
  }

  /** Keys a person presses on an interactive call; false if the call is not live. */
  pressKeys(callSid: string, digits: string): boolean {
    const session = this.sessions.get(callSid);
    session?.pressKeys(digits);
    return session !== undefined;
  }

  /** The simulated caller hangs up; false if the call is not live. */
  hangUpByCaller(callSid: string): boolean {
    const session = this.sessions.get(callSid);
    session?.interrupt({ kind: 'hangup', status: 'completed', by: 'caller' });
    return session !== undefined;
  }

  sessionOf(callSid: string): CallSession | undefined {
    return this.sessions.get(callSid);
  }

  /** Resolves with the call once it has ended (or rejects after the timeout). */
  async waitForEnd(callSid: string, timeoutMs: number): Promise<SimCall> {
    const call = this.deps.store.calls.get(callSid);
    if (!call) throw new Error(`no call ${callSid}`);
    const session = this.sessions.get(callSid);
    if (!session) return call;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`call ${callSid} did not end within ${timeoutMs} ms (status ${call.status})`)), timeoutMs);
    });
    try {
      return await Promise.race([session.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Hangs up every live call and waits for them to finish (simulator shutdown). */
  async hangUpAll(): Promise<void> {
    const live = [...this.sessions.values()];
    for (const s of live) s.interrupt({ kind: 'hangup', status: 'completed' });
    await Promise.all(live.map((s) => s.done));
  }

  private async ringOutbound(session: CallSession, req: OutboundCallRequest, start: Next): Promise<void> {
    const { call } = session;
    const params = () => session.params();
    await session.status.send('initiated', call, params());
    if (this.isCanceled(session)) return session.endUnanswered('canceled');
    call.status = 'ringing';
    await session.record({ kind: 'status', status: 'ringing' });
    await session.status.send('ringing', call, params());
    if (this.isCanceled(session)) return session.endUnanswered('canceled');
    const answer = call.script.answer;
    if (answer === 'busy' || answer === 'failed' || answer === 'no-answer') return session.endUnanswered(answer);
    call.status = 'in-progress';
    call.startTime = new Date();
    if (req.machineDetection) {
      call.answeredBy = answer === 'machine' ? (req.machineDetection === 'DetectMessageEnd' ? 'machine_end_beep' : 'machine_start') : 'human';
    }
    await session.record({ kind: 'status', status: 'in-progress', ...(call.answeredBy ? { answeredBy: call.answeredBy } : {}) });
    await session.status.send('answered', call, params());
    await session.run(start);
  }

  private isCanceled(session: CallSession): boolean {
    return session.takeInterrupt(['hangup']) !== null;
  }

  private newCall(accountSid: string, from: string, to: string, direction: SimCall['direction'], status: CallStatus, script: PartyScript, number: SimNumber | null): SimCall {
    const now = new Date();
    const call: SimCall = {
      sid: newSid('CA'),
      accountSid,
      from,
      to,
      direction,
      status,
      parentCallSid: null,
      phoneNumberSid: number?.sid ?? null,
      answeredBy: null,
      callerName: null,
      dateCreated: now,
      dateUpdated: now,
      startTime: null,
      endTime: null,
      elapsedSeconds: 0,
      transcript: [],
      failure: null,
      script,
    };
    this.deps.store.calls.set(call.sid, call);
    this.deps.store.events.emit('call-created', call);
    return call;
  }

  private track(call: SimCall, account: SimAccount, status: StatusCallbackSender): CallSession {
    const session = new CallSession({ ...this.deps, sessionOf: (sid) => this.sessions.get(sid) }, call, account, status);
    this.sessions.set(call.sid, session);
    void session.done.then(() => this.sessions.delete(call.sid));
    return session;
  }
}
