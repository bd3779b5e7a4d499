import type { CallContext } from '../call-context';
import type { Next } from '../call-signals';
import type { VoiceVerb } from '../twiml/voice-verbs';
import { runDial } from './dial.verb';
import { runEnqueue } from './enqueue.verb';
import { runGather } from './gather.verb';
import { runRecord } from './record.verb';

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
      return runDial(ctx, v, warn);
    case 'Enqueue':
      return runEnqueue(ctx, v);
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
