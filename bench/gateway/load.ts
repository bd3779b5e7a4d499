import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { Pool } from 'undici';

/** Where the webhooks go and how they are signed (as Twilio signs them: the public URL plus the sorted fields). */
export interface Target {
  url: string;
  publicBaseUrl: string;
  authToken: string;
  accountSid: string;
  number: string;
}

export interface Figures {
  steps: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  /** Answers that were not the expected TwiML (403, fallback, no next URL). */
  errors: number;
  /** Every webhook sent in the whole run, warm-up, first webhooks and status callbacks included. */
  sent: number;
}

const ACTION = /<(?:Gather|Redirect)[^>]*?(?:action="([^"]+)"[^>]*)?>([^<]*)/;

function nextPath(twiml: string, publicBaseUrl: string): string | undefined {
  const match = ACTION.exec(twiml);
  const url = (match?.[1] ?? match?.[2] ?? '').replaceAll('&amp;', '&');
  return url.startsWith(publicBaseUrl) ? url.slice(publicBaseUrl.length) : undefined;
}

/** One caller: starts a call, presses 1 on the menu `stepsPerCall` times (each a timed step), hangs up, calls again. */
class Caller {
  private callSid = '';
  private path: string | undefined;
  private left = 0;
  readonly from = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

  constructor(
    private readonly target: Target,
    private readonly pool: Pool,
    private readonly stepsPerCall: number,
    private readonly counter: { sent: number },
  ) {}

  private base(): Record<string, string> {
    return {
      CallSid: this.callSid, AccountSid: this.target.accountSid, From: this.from, To: this.target.number, Caller: this.from,
      Called: this.target.number, Direction: 'inbound', CallStatus: 'in-progress', ApiVersion: '2010-04-01',
    };
  }

  private async post(path: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
    this.counter.sent++;
    const signature = twilio.getExpectedTwilioSignature(this.target.authToken, `${this.target.publicBaseUrl}${path}`, params);
    const response = await this.pool.request({
      method: 'POST', path, body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    });
    return { status: response.statusCode, body: await response.body.text() };
  }

  /** Makes sure a call is in progress and waiting on the menu (untimed: a new call's first webhook, or the last one's end). */
  async ready(): Promise<void> {
    if (this.path && this.left > 0) return;
    if (this.callSid) await this.post('/twilio/voice/status', { ...this.base(), CallStatus: 'completed', CallDuration: '60' });
    this.callSid = `CA${randomBytes(16).toString('hex')}`;
    const first = await this.post('/twilio/voice', { ...this.base(), CallStatus: 'ringing' });
    this.path = first.status === 200 ? nextPath(first.body, this.target.publicBaseUrl) : undefined;
    if (!this.path) throw new Error(`the first webhook was answered ${first.status} without a menu: ${first.body.slice(0, 300)}`);
    this.left = this.stepsPerCall;
  }

  /** Presses 1: one step. False when the answer was not the balance and the menu again. */
  async press(): Promise<boolean> {
    const answer = await this.post(this.path!, { ...this.base(), Digits: '1' });
    this.left--;
    this.path = answer.status === 200 ? nextPath(answer.body, this.target.publicBaseUrl) : undefined;
    return this.path !== undefined && answer.body.includes('balance is');
  }
}

function figures(latencies: number[], seconds: number, errors: number, sent: number): Figures {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return { steps: sorted.length, seconds, perSecond: sorted.length / seconds, p50ms: at(0.5), p99ms: at(0.99), errors, sent };
}

const now = () => performance.now();

/** `concurrency` callers, each sending its next step as soon as the last is answered; steps timed in the measuring window only. */
export async function closedLoop(target: Target, concurrency: number, warmupMs: number, measureMs: number, stepsPerCall: number): Promise<Figures> {
  const pool = new Pool(target.url, { connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const counter = { sent: 0 };
  let errors = 0;
  const start = now();
  const from = start + warmupMs;
  const until = from + measureMs;
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      const caller = new Caller(target, pool, stepsPerCall, counter);
      while (now() < until) {
        await caller.ready();
        const t0 = now();
        const ok = await caller.press();
        const t1 = now();
        if (t0 >= from && t1 <= until) {
          if (ok) latencies.push(t1 - t0);
          else errors++;
        }
      }
    }));
  } finally {
    await pool.close();
  }
  return figures(latencies, measureMs / 1000, errors, counter.sent);
}

/**
 * Steps sent at a fixed rate, whatever the answers (open loop), by a pool of `callers` calls; latency counts from
 * when a step was due, so a server falling behind shows in p99. A step due with no idle caller is counted late and skipped.
 */
export async function openLoop(target: Target, rate: number, callers: number, warmupMs: number, measureMs: number, stepsPerCall: number) {
  const pool = new Pool(target.url, { connections: Math.min(callers, 128), pipelining: 1, keepAliveTimeout: 30_000 });
  const idle: Caller[] = [];
  const counter = { sent: 0 };
  const latencies: number[] = [];
  let errors = 0;
  let skipped = 0;
  let inFlight = 0;
  await Promise.all(Array.from({ length: callers }, async () => {
    const caller = new Caller(target, pool, stepsPerCall, counter);
    await caller.ready();
    idle.push(caller);
  }));
  const start = now();
  const from = start + warmupMs;
  const until = from + measureMs;
  let sent = 0;
  const fire = (caller: Caller, due: number) => {
    inFlight++;
    void caller.press().then(async (ok) => {
      const t1 = now();
      if (due >= from && t1 <= until) {
        if (ok) latencies.push(t1 - due);
        else errors++;
      }
      await caller.ready();
      idle.push(caller);
    }).catch(() => void errors++).finally(() => void inFlight--);
  };
  while (now() < until) {
    const t = now();
    const due = Math.floor(((t - start) * rate) / 1000);
    for (; sent < due; sent++) {
      const caller = idle.pop();
      const dueAt = start + (sent * 1000) / rate;
      if (caller) fire(caller, dueAt);
      else if (dueAt >= from) skipped++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await pool.close();
  return { ...figures(latencies, measureMs / 1000, errors, counter.sent), skipped };
}
