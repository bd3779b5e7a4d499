import { rfc2822 } from '../../state/sid';
import type { SimRecording } from '../../state/sim-types';

/** A recording as Twilio's REST API shows it; `media_url` points at this simulator's copy. */
export function recordingRepresentation(recording: SimRecording, publicBaseUrl: string): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${recording.accountSid}/Recordings/${recording.sid}`;
  return {
    account_sid: recording.accountSid,
    api_version: '2010-04-01',
    call_sid: recording.callSid,
    conference_sid: null,
    date_created: rfc2822(recording.dateCreated),
    date_updated: rfc2822(recording.dateCreated),
    start_time: rfc2822(recording.startTime),
    duration: String(recording.durationSeconds),
    sid: recording.sid,
    price: '-0.00250',
    price_unit: 'USD',
    status: 'completed',
    channels: 1,
    source: recording.source,
    error_code: null,
    uri: `${base}.json`,
    encryption_details: null,
    subresource_uris: {
      add_on_results: `${base}/AddOnResults.json`,
      transcriptions: `${base}/Transcriptions.json`,
    },
    media_url: `${publicBaseUrl}${base}`,
  };
}

/** A recording as listed under its call (`/Calls/{CallSid}/Recordings.json`): Twilio's call_recording shape. */
export function callRecordingRepresentation(recording: SimRecording, publicBaseUrl: string): Record<string, unknown> {
  const { subresource_uris: _s, media_url: _m, ...rest } = recordingRepresentation(recording, publicBaseUrl);
  return {
    ...rest,
    uri: `/2010-04-01/Accounts/${recording.accountSid}/Calls/${recording.callSid}/Recordings/${recording.sid}.json`,
    price: -0.0025,
    track: 'both',
  };
}
