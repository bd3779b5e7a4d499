import type { SimQueue, SimQueueMember } from '../../state/sim-types';
import type { CallContext } from '../call-context';
import { CallerHangup, InterruptSignal, type Next } from '../call-signals';
import type { VoiceVerb } from '../twiml/voice-verbs';

type Enqueue = Extract<VoiceVerb, { verb: 'Enqueue' }>;

/** Seconds of default hold music Twilio plays per turn when an <Enqueue> has no waitUrl. */
const DEFAULT_HOLD_SECONDS = 30;

/**
 * Plays one turn of the queue's wait TwiML, as Twilio requests it again each time it ends:
 * prompts are heard (at the caller's hold pace), <Leave> leaves, <Hangup> ends the call.
 */
async function holdTurn(ctx: CallContext, e: Enqueue, params: Record<string, string>): Promise<'leave' | 'stay'> {
  if (!e.waitUrl) {
    await ctx.onHold(() => ctx.advance(DEFAULT_HOLD_SECONDS));
    return 'stay';
  }
  const documentUrl = ctx.documentUrl;
  try {
    const verbs = await ctx.load({ kind: 'fetch', url: ctx.resolve(e.waitUrl), method: e.waitUrlMethod, params }, { waitUrl: true });
    let heardSomething = false;
    for (const v of verbs) {
      if (v.verb === 'Say' || v.verb === 'Play' || v.verb === 'Pause') {
        await ctx.onHold(() => ctx.hear(v, false));
        heardSomething = true;
      } else if (v.verb === 'Leave') return 'leave';
      else if (v.verb === 'Hangup') throw new CallerHangup('the wait TwiML hung up');
    }
    if (!heardSomething) await ctx.onHold(() => ctx.advance(1));
    return 'stay';
  } finally {
    ctx.documentUrl = documentUrl;
  }
}

/**
 * `<Enqueue>`: the call waits in the named queue, turn after turn of wait TwiML, until it is
 * bridged (<Dial><Queue>), redirected or dequeued over REST, leaves, or the caller gives up.
 */
export async function runEnqueue(ctx: CallContext, e: Enqueue): Promise<Next> {
  const queue = ctx.store.queueByName(ctx.account.sid, e.name) ?? ctx.store.createQueue(ctx.account.sid, e.name);
  const enqueuedAt = ctx.call.elapsedSeconds;
  const queueTime = () => String(Math.round(ctx.call.elapsedSeconds - enqueuedAt));
  const after = (result: string): Next =>
    e.action
      ? { kind: 'fetch', url: ctx.resolve(e.action), method: e.method, params: { QueueResult: result, QueueSid: queue.sid, QueueTime: queueTime() } }
      : { kind: 'continue' };

  if (queue.members.length >= queue.maxSize) {
    await ctx.record({ kind: 'enqueue', queue: e.name, result: 'queue-full' });
    return after('queue-full');
  }
  const member: SimQueueMember = { callSid: ctx.call.sid, enqueuedAt: new Date() };
  queue.members.push(member);
  queue.dateUpdated = new Date();
  const realStart = Date.now();
  try {
    for (;;) {
      const turn = await holdTurn(ctx, e, waitParams(queue, member, queueTime()));
      const bridged = ctx.takeInterrupt(['bridged']);
      if (bridged?.kind === 'bridged') {
        await ctx.record({ kind: 'enqueue', queue: e.name, result: `bridged with ${bridged.withCallSid}` });
        await ctx.advance(bridged.seconds);
        return { kind: 'end', by: 'twiml' };
      }
      if (turn === 'leave') {
        await ctx.record({ kind: 'enqueue', queue: e.name, result: `left after ${queueTime()}s (<Leave>)` });
        return after('leave');
      }
      if (Date.now() - realStart > ctx.script.holdPatienceMs) {
        await ctx.record({ kind: 'enqueue', queue: e.name, result: `caller gave up after ${queueTime()}s` });
        throw new CallerHangup('gave up waiting in the queue');
      }
    }
  } catch (err) {
    if (err instanceof InterruptSignal) {
      await ctx.record({ kind: 'enqueue', queue: e.name, result: err.interrupt.kind === 'hangup' ? 'hung up' : 'redirected' });
    }
    throw err;
  } finally {
    queue.members = queue.members.filter((m) => m !== member);
    queue.dateUpdated = new Date();
  }
}

function waitParams(queue: SimQueue, member: SimQueueMember, queueTime: string): Record<string, string> {
  return {
    QueueSid: queue.sid,
    QueuePosition: String(queue.members.indexOf(member) + 1),
    QueueTime: queueTime,
    AvgQueueTime: queueTime,
    CurrentQueueSize: String(queue.members.length),
    MaxQueueSize: String(queue.maxSize),
  };
}
