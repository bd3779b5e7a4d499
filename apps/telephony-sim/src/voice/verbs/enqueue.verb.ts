import type { CallContext } from '../call-context';
import { InterruptSignal, CallerHangup, type Next } from '../call-signals';
import type { VoiceVerb } from '../twiml/voice-verbs';

type Enqueue = Extract<VoiceVerb, { verb: 'Enqueue' }>;

/**
 * `<Enqueue>`: the call waits in the named queue, hears the waitUrl's hold TwiML once, then
 * waits in real time until it is bridged, redirected (REST), leaves, or the caller gives up.
 */
export async function runEnqueue(
  ctx: CallContext,
  e: Enqueue,
  playHold: (url: string, method: 'GET' | 'POST', params: Record<string, string>) => Promise<'leave' | 'stay'>,
): Promise<Next> {
  const queue = ctx.store.queueByName(ctx.account.sid, e.name) ?? ctx.store.createQueue(ctx.account.sid, e.name);
  const after = (result: string, seconds: number): Next =>
    e.action
      ? { kind: 'fetch', url: ctx.resolve(e.action), method: e.method, params: { QueueResult: result, QueueSid: queue.sid, QueueTime: String(seconds) } }
      : { kind: 'continue' };

  if (queue.members.length >= queue.maxSize) {
    await ctx.record({ kind: 'enqueue', queue: e.name, result: 'queue-full' });
    return after('queue-full', 0);
  }
  const member = { callSid: ctx.call.sid, enqueuedAt: new Date() };
  queue.members.push(member);
  queue.dateUpdated = new Date();
  const leave = (): number => {
    queue.members = queue.members.filter((m) => m !== member);
    queue.dateUpdated = new Date();
    return Math.round((Date.now() - member.enqueuedAt.getTime()) / 1000);
  };

  try {
    if (e.waitUrl) {
      const hold = await playHold(ctx.resolve(e.waitUrl), e.waitUrlMethod, {
        QueueSid: queue.sid,
        QueuePosition: String(queue.members.indexOf(member) + 1),
        QueueTime: '0',
        AvgQueueTime: '0',
        CurrentQueueSize: String(queue.members.length),
        MaxQueueSize: String(queue.maxSize),
      });
      if (hold === 'leave') {
        const waited = leave();
        await ctx.record({ kind: 'enqueue', queue: e.name, result: 'left (<Leave>)' });
        return after('leave', waited);
      }
    }
    const interrupt = await ctx.waitForInterrupt(ctx.script.holdPatienceMs);
    const waited = leave();
    if (interrupt === null) {
      await ctx.record({ kind: 'enqueue', queue: e.name, result: `caller gave up after ${waited}s` });
      throw new CallerHangup('gave up waiting in the queue');
    }
    if (interrupt.kind === 'bridged') {
      ctx.takeInterrupt(['bridged']);
      await ctx.record({ kind: 'enqueue', queue: e.name, result: `bridged with ${interrupt.withCallSid}` });
      await ctx.advance(interrupt.seconds);
      return { kind: 'end', by: 'twiml' };
    }
    throw new InterruptSignal(interrupt);
  } catch (err) {
    if (err instanceof InterruptSignal) {
      await ctx.record({ kind: 'enqueue', queue: e.name, result: err.interrupt.kind === 'hangup' ? 'hung up' : 'redirected' });
    }
    throw err;
  } finally {
    if (queue.members.includes(member)) leave();
  }
}
