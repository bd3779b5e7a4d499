import { notifyWebhook } from '../../http/signed-webhook';
import { newSid, rfc2822 } from '../../state/sid';
import type { SimRecording } from '../../state/sim-types';
import type { CallContext } from '../call-context';

export interface RecordingCallback {
  url: string | null;
  method: 'GET' | 'POST';
}

/** Keeps a recording of the call (as <Record> or <Dial record> make one) and posts its status callback. */
export async function makeRecording(
  ctx: CallContext,
  seconds: number,
  source: SimRecording['source'],
  callback: RecordingCallback,
  warn: (message: string) => void,
): Promise<{ recording: SimRecording; recordingUrl: string }> {
  const now = new Date();
  const recording: SimRecording = {
    sid: newSid('RE'),
    accountSid: ctx.account.sid,
    callSid: ctx.call.sid,
    durationSeconds: seconds,
    source,
    dateCreated: now,
    startTime: new Date(now.getTime() - seconds * 1000),
  };
  ctx.store.recordings.set(recording.sid, recording);
  const recordingUrl = `${ctx.publicBaseUrl}/2010-04-01/Accounts/${ctx.account.sid}/Recordings/${recording.sid}`;
  if (callback.url) {
    await notifyWebhook(
      {
        url: ctx.resolve(callback.url),
        method: callback.method,
        authToken: ctx.account.authToken,
        params: {
          AccountSid: ctx.account.sid,
          CallSid: ctx.call.sid,
          RecordingSid: recording.sid,
          RecordingUrl: recordingUrl,
          RecordingStatus: 'completed',
          RecordingDuration: String(seconds),
          RecordingChannels: '1',
          RecordingSource: source,
          RecordingStartTime: rfc2822(recording.startTime),
        },
      },
      warn,
    );
  }
  return { recording, recordingUrl };
}
