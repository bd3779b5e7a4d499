import { newSid } from '../../state/sid';
import type { SimRecording } from '../../state/sim-types';
import { notifyWebhook } from '../../http/signed-webhook';
import type { CallContext } from '../call-context';
import type { Next } from '../call-signals';
import type { VoiceVerb } from '../twiml/voice-verbs';

type Record_ = Extract<VoiceVerb, { verb: 'Record' }>;

/** `<Record>`: the caller speaks for the scripted time; a recording exists and the action hears of it. */
export async function runRecord(ctx: CallContext, r: Record_, onError: (m: string) => void): Promise<Next> {
  if (r.playBeep) await ctx.advance(1);
  const seconds = Math.min(ctx.script.recordSeconds, r.maxLength);
  const finishKey = ctx.script.recordFinishKey && r.finishOnKey.includes(ctx.script.recordFinishKey) ? ctx.script.recordFinishKey : '';
  await ctx.advance(seconds + (finishKey ? 0 : r.timeout));
  if (seconds === 0) {
    await ctx.record({ kind: 'record', seconds: 0, recordingSid: '' });
    return { kind: 'continue' };
  }
  const now = new Date();
  const recording: SimRecording = {
    sid: newSid('RE'),
    accountSid: ctx.account.sid,
    callSid: ctx.call.sid,
    durationSeconds: seconds,
    source: 'RecordVerb',
    dateCreated: now,
    startTime: new Date(now.getTime() - seconds * 1000),
  };
  ctx.store.recordings.set(recording.sid, recording);
  await ctx.record({ kind: 'record', seconds, recordingSid: recording.sid });
  const recordingUrl = `${ctx.publicBaseUrl}/2010-04-01/Accounts/${ctx.account.sid}/Recordings/${recording.sid}`;
  if (r.recordingStatusCallback) {
    await notifyWebhook(
      {
        url: ctx.resolve(r.recordingStatusCallback),
        method: r.recordingStatusCallbackMethod,
        authToken: ctx.account.authToken,
        params: {
          AccountSid: ctx.account.sid,
          CallSid: ctx.call.sid,
          RecordingSid: recording.sid,
          RecordingUrl: recordingUrl,
          RecordingStatus: 'completed',
          RecordingDuration: String(seconds),
          RecordingChannels: '1',
          RecordingSource: 'RecordVerb',
          RecordingStartTime: recording.startTime.toUTCString().replace('GMT', '+0000'),
        },
      },
      onError,
    );
  }
  return {
    kind: 'fetch',
    url: ctx.resolve(r.action),
    method: r.method,
    params: { RecordingUrl: recordingUrl, RecordingSid: recording.sid, RecordingDuration: String(seconds), Digits: finishKey },
  };
}
