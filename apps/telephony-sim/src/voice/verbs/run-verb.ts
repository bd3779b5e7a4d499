import type { CallContext } from '../call-context';
import { CallerHangup, type Next } from '../call-signals';
import type { VoiceVerb } from '../twiml/voice-verbs';
import { runDial } from './dial.verb';
import { runEnqueue } from './enqueue.verb';
import { runGather } from './gather.verb';
import { runRecord } from './record.verb';

/** Plays a queue's wait TwiML once: prompts are heard, <Leave> leaves, <Hangup> ends the call. */
async function playHold(ctx: CallContext, url: string, method: 'GET' | 'POST', params: Record<string, string>): Promise<'leave' | 'stay'> {
  const documentUrl = ctx.documentUrl;
  try {
    const verbs = await ctx.load({ kind: 'fetch', url, method, params });
    for (const v of verbs) {
      if (v.verb === 'Say' || v.verb === 'Play' || v.verb === 'Pause') await ctx.hear(v, false);
      else if (v.verb === 'Leave') return 'leave';
      else if (v.verb === 'Hangup') throw new CallerHangup('the wait TwiML hung up');
    }
    return 'stay';
  } finally {
    ctx.documentUrl = documentUrl;
  }
}

/** Runs one voice verb on a call: one exhaustive map from verb to behaviour. */
export async function runVerb(ctx: CallContext, v: VoiceVerb, warn: (m: string) => void): Promise<Next> {
  switch (v.verb) {
    case 'Say':
    case 'Play':
    case 'Pause': {
      await ctx.hear(v, false);
      return { kind: 'continue' };
    }
    case 'Gather':
      return runGather(ctx, v);
    case 'Record':
      return runRecord(ctx, v, warn);
    case 'Dial':
      return runDial(ctx, v);
    case 'Enqueue':
      return runEnqueue(ctx, v, (url, method, params) => playHold(ctx, url, method, params));
    case 'Redirect': {
      const url = ctx.resolve(v.url);
      await ctx.record({ kind: 'redirect', url, by: 'twiml' });
      return { kind: 'fetch', url, method: v.method };
    }
    case 'Hangup':
      return { kind: 'end', by: 'twiml' };
    case 'Reject':
      return { kind: 'end', by: 'reject', status: v.reason === 'busy' ? 'busy' : 'failed' };
    case 'Leave':
      return { kind: 'continue' };
    case 'Sms': {
      const to = v.to ?? (ctx.call.direction === 'inbound' ? ctx.call.from : ctx.call.to);
      const from = v.from ?? (ctx.call.direction === 'inbound' ? ctx.call.to : ctx.call.from);
      await ctx.sms.sendFromCall(ctx.account, { to, from, body: v.body, statusCallback: v.statusCallback ? ctx.resolve(v.statusCallback) : null });
      await ctx.record({ kind: 'sms', to, body: v.body });
      return { kind: 'continue' };
    }
  }
}
