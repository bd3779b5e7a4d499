import type { FastifyInstance } from 'fastify';
import { authenticate } from './basic-auth';
import { registerCallRoutes } from './calls.routes';
import { registerIncomingNumberRoutes } from './incoming-numbers.routes';
import { registerMessageRoutes } from './messages.routes';
import { registerQueueRoutes } from './queues.routes';
import { RECORDING_MEDIA, registerRecordingRoutes } from './recordings.routes';
import type { AccountRequest, RestDeps } from './rest-deps';
import { accountRepresentation } from './representations/account.representation';
import { TwilioError } from './twilio-error';

/** api.twilio.com and its edge/region forms (api.dublin.ie1.twilio.com). */
const API_HOST = /^api(\.[a-z0-9-]+)*\.twilio\.com$/;

/** Twilio's 2010-04-01 REST API under /2010-04-01/Accounts/{AccountSid}, behind Basic auth. */
export function registerTwilioApi(app: FastifyInstance, deps: RestDeps): void {
  app.get('/2010-04-01/Accounts/:accountFile', async (request) => {
    const file = (request.params as { accountFile: string }).accountFile;
    const sid = /^(AC[0-9a-fA-F]{32})\.json$/.exec(file)?.[1];
    if (!sid) throw TwilioError.notFound(request.url.split('?')[0]);
    const account = authenticate(deps.store, request.headers.authorization, sid);
    return accountRepresentation(account, deps.store.accountCreated(account.sid));
  });

  void app.register(
    async (scoped) => {
      scoped.addHook('onRequest', async (request) => {
        const original = request.headers['x-twilio-original-host'];
        if (typeof original === 'string' && !API_HOST.test(original)) throw TwilioError.notFound(request.url.split('?')[0]);
        const params = request.params as { AccountSid?: string; recordingFile?: string };
        // Twilio serves recording audio without credentials unless the account asks otherwise.
        if (params.recordingFile && RECORDING_MEDIA.test(params.recordingFile)) return;
        (request as AccountRequest).account = authenticate(deps.store, request.headers.authorization, params.AccountSid);
      });
      registerCallRoutes(scoped, deps);
      registerMessageRoutes(scoped, deps);
      registerQueueRoutes(scoped, deps);
      registerRecordingRoutes(scoped, deps);
      registerIncomingNumberRoutes(scoped, deps);
    },
    { prefix: '/2010-04-01/Accounts/:AccountSid' },
  );
}
