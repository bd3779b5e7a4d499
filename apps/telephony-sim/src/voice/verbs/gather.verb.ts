import type { CallContext } from '../call-context';
import { CallFailure, type Next } from '../call-signals';
import type { VoiceVerb } from '../twiml/voice-verbs';
import { collectDigits, type DigitsResult } from './collect-digits';

type Gather = Extract<VoiceVerb, { verb: 'Gather' }>;

/** `<Gather>`: plays its prompts, takes the scripted keys (possibly over the prompt), posts them. */
export async function runGather(ctx: CallContext, g: Gather): Promise<Next> {
  if (!g.action && !ctx.documentUrl) {
    throw new CallFailure(12200, '<Gather> without an action in inline TwiML has no way out: there is no document URL to post the digits to');
  }
  if (ctx.script.interactive) return runInteractiveGather(ctx, g);
  const press = ctx.call.answeredBy?.startsWith('machine') ? null : ctx.nextPress();
  const pressed = press === undefined || press === null ? '' : typeof press === 'string' ? press : press.digits;
  const bargeIn = typeof press === 'object' && press !== null && press.duringPrompt && pressed.length > 0;

  if (bargeIn && g.prompts.length > 0) {
    await ctx.hear(g.prompts[0], true);
  } else {
    for (const p of g.prompts) await ctx.hear(p, false);
  }

  const result = collectDigits(pressed, { numDigits: g.numDigits, finishOnKey: g.finishOnKey });
  await ctx.advance(result.outcome === 'timeout' ? g.timeout + pressed.length * 0.5 : pressed.length * 0.5);
  return submit(ctx, g, result);
}

/** A person presses keys on the phone page: prompts play in real time and stop at the first key. */
async function runInteractiveGather(ctx: CallContext, g: Gather): Promise<Next> {
  for (const p of g.prompts) if (await ctx.hear(p, false, true)) break;
  return submit(ctx, g, await ctx.awaitKeys({ timeout: g.timeout, numDigits: g.numDigits, finishOnKey: g.finishOnKey }));
}

async function submit(ctx: CallContext, g: Gather, result: DigitsResult): Promise<Next> {
  await ctx.record({ kind: 'gather', digits: result.digits, outcome: result.digits ? result.outcome : 'timeout' });
  if (!result.digits && !g.actionOnEmptyResult) return { kind: 'continue' };
  return {
    kind: 'fetch',
    url: ctx.resolve(g.action),
    method: g.method,
    params: { Digits: result.digits, FinishedOnKey: result.finishedOnKey, msg: 'Gather End' },
  };
}
