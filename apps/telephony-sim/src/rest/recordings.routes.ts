import type { FastifyInstance } from 'fastify';
import { listPage } from './representations/list-page.representation';
import { callRecordingRepresentation, recordingRepresentation } from './representations/recording.representation';
import { type AccountRequest, pageSize, type RestDeps, sidParam } from './rest-deps';
import { silentWav } from './silent-wav';
import { TwilioError } from './twilio-error';

/** A recording's audio: its URL without an extension, or with .wav / .mp3 (served as WAV here). */
export const RECORDING_MEDIA = /^(RE[0-9a-fA-F]{32})(\.wav|\.mp3)?$/;

/** Twilio's Recordings: fetch one, list an account's or a call's. */
export function registerRecordingRoutes(app: FastifyInstance, deps: RestDeps): void {
  app.get('/Recordings/:recordingFile', async (request, reply) => {
    const req = request as AccountRequest;
    const media = RECORDING_MEDIA.exec(req.params.recordingFile ?? '');
    if (media) {
      const recording = deps.store.recordings.get(media[1]);
      if (!recording || recording.accountSid !== req.params.AccountSid) throw TwilioError.notFound(req.url.split('?')[0]);
      return reply.type('audio/x-wav').send(silentWav(recording.durationSeconds));
    }
    const sid = sidParam(req, req.params.recordingFile, 'RE');
    const recording = deps.store.recordings.get(sid);
    if (!recording || recording.accountSid !== req.account.sid) throw TwilioError.notFound(req.url.split('?')[0]);
    return recordingRepresentation(recording, deps.publicBaseUrl());
  });

  const list = (req: AccountRequest, callSid?: string) => {
    const items = [...deps.store.recordings.values()]
      .filter((r) => r.accountSid === req.account.sid && (!callSid || r.callSid === callSid))
      .map((r) => (callSid && req.params.callSid ? callRecordingRepresentation : recordingRepresentation)(r, deps.publicBaseUrl()));
    return listPage('recordings', req.url.split('?')[0], items, pageSize(req.query));
  };

  app.get('/Recordings.json', async (request) => {
    const req = request as AccountRequest;
    return list(req, req.query?.CallSid);
  });

  app.get('/Calls/:callSid/Recordings.json', async (request) => {
    const req = request as AccountRequest;
    return list(req, req.params.callSid);
  });
}
