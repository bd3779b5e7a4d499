import { E164 } from '../../state/sid';
import type { CallContext } from '../call-context';
import { CallFailure, type Next } from '../call-signals';
import type { DialTarget, VoiceVerb } from '../twiml/voice-verbs';
import { defaultPartyScript } from '../party-script';
import { makeRecording } from './make-recording';

type Dial = Extract<VoiceVerb, { verb: 'Dial' }>;

interface DialOutcome {
  status: 'completed' | 'busy' | 'no-answer' | 'failed';
  callSid: string | null;
  seconds: number;
  label: string;
}

async function dialNumber(ctx: CallContext, d: Dial, target: Extract<DialTarget, { kind: 'number' }>): Promise<DialOutcome> {
  if (!E164.test(target.number)) return { status: 'failed', callSid: null, seconds: 0, label: 'failed (not a valid number)' };
  const leg = ctx.dialLeg(target.number, d.callerId ?? ctx.call.to);
  const callee = ctx.store.phones.get(target.number) ?? defaultPartyScript();
  switch (callee.answer) {
    case 'busy':
    case 'failed':
      ctx.endLeg(leg, callee.answer, 0);
      return { status: callee.answer, callSid: leg.sid, seconds: 0, label: callee.answer };
    case 'no-answer':
      await ctx.advance(d.timeout);
      ctx.endLeg(leg, 'no-answer', 0);
      return { status: 'no-answer', callSid: leg.sid, seconds: 0, label: `no answer after ${d.timeout}s` };
    default: {
      const seconds = Math.min(callee.talkSeconds, d.timeLimit);
      await ctx.advance(seconds);
      ctx.endLeg(leg, 'completed', seconds);
      return { status: 'completed', callSid: leg.sid, seconds, label: `answered by ${callee.answer}, talked ${seconds}s` };
    }
  }
}

async function dialQueue(ctx: CallContext, target: Extract<DialTarget, { kind: 'queue' }>): Promise<DialOutcome> {
  const seconds = ctx.script.talkSeconds;
  const member = ctx.dequeueFront(target.name, { withCallSid: ctx.call.sid, seconds });
  if (!member) return { status: 'no-answer', callSid: null, seconds: 0, label: `queue "${target.name}" is empty` };
  await ctx.advance(seconds);
  return { status: 'completed', callSid: member.sid, seconds, label: `bridged with ${member.sid} from queue "${target.name}", talked ${seconds}s` };
}

/** `<Dial>`: rings each target the way its phone script says, bridges the first that answers. */
export async function runDial(ctx: CallContext, d: Dial, warn: (m: string) => void): Promise<Next> {
  let outcome: DialOutcome = { status: 'no-answer', callSid: null, seconds: 0, label: 'nothing dialed' };
  for (const target of d.targets) {
    if (target.kind === 'unsupported') {
      throw new CallFailure(13200, `<Dial><${target.noun}>${target.value}</${target.noun}> is valid TwiML but the simulator does not simulate it`);
    }
    outcome = target.kind === 'number' ? await dialNumber(ctx, d, target) : await dialQueue(ctx, target);
    const name = target.kind === 'number' ? target.number : `queue "${target.name}"`;
    await ctx.record({ kind: 'dial', target: name, result: outcome.label, dialCallSid: outcome.callSid });
    if (outcome.status === 'completed') break;
  }
  const recorded =
    d.record && outcome.status === 'completed' && outcome.seconds > 0
      ? await makeRecording(ctx, outcome.seconds, 'DialVerb', { url: d.recordingStatusCallback, method: d.recordingStatusCallbackMethod }, warn)
      : null;
  if (!d.action) return { kind: 'continue' };
  return {
    kind: 'fetch',
    url: ctx.resolve(d.action),
    method: d.method,
    params: {
      DialCallStatus: outcome.status,
      DialCallSid: outcome.callSid ?? '',
      DialCallDuration: String(outcome.seconds),
      DialBridged: String(outcome.status === 'completed'),
      ...(recorded
        ? { RecordingUrl: recorded.recordingUrl, RecordingSid: recorded.recording.sid, RecordingDuration: String(outcome.seconds) }
        : {}),
    },
  };
}
