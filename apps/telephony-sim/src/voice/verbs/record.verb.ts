import type { CallContext } from '../call-context';
import type { Next } from '../call-signals';
import type { VoiceVerb } from '../twiml/voice-verbs';
import { makeRecording } from './make-recording';

type Record_ = Extract<VoiceVerb, { verb: 'Record' }>;

/** `<Record>`: the caller speaks for the scripted time; a recording exists and the action hears of it. */
export async function runRecord(ctx: CallContext, r: Record_, warn: (m: string) => void): Promise<Next> {
  if (r.playBeep) await ctx.advance(1);
  const seconds = Math.min(ctx.script.recordSeconds, r.maxLength);
  const finishKey = ctx.script.recordFinishKey && r.finishOnKey.includes(ctx.script.recordFinishKey) ? ctx.script.recordFinishKey : '';
  await ctx.advance(seconds + (finishKey ? 0 : r.timeout));
  if (seconds === 0) {
    await ctx.record({ kind: 'record', seconds: 0, recordingSid: '' });
    return { kind: 'continue' };
  }
  const { recording, recordingUrl } = await makeRecording(
    ctx,
    seconds,
    'RecordVerb',
    { url: r.recordingStatusCallback, method: r.recordingStatusCallbackMethod },
    warn,
  );
  await ctx.record({ kind: 'record', seconds, recordingSid: recording.sid });
  return {
    kind: 'fetch',
    url: ctx.resolve(r.action),
    method: r.method,
    params: { RecordingUrl: recordingUrl, RecordingSid: recording.sid, RecordingDuration: String(seconds), Digits: finishKey },
  };
}
