import type { FastifyInstance, FastifyRequest } from 'fastify';
import { faultInjectorOf, type FaultVerdict } from '../control/fault-injector';
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

/** A fault that lets the request take effect and then answers with its error (see control/fault-injector.ts). */
const ACCEPTED_FAULT = Symbol('accepted fault');
type FaultedRequest = FastifyRequest & { [ACCEPTED_FAULT]?: FaultVerdict };

/** Twilio's 2010-04-01 REST API under /2010-04-01/Accounts/{AccountSid}, behind Basic auth; faults from POST /sim/faults apply. */
export function registerTwilioApi(app: FastifyInstance, deps: RestDeps): void {
  const faults = faultInjectorOf(deps);
  app.get('/2010-04-01/Accounts/:accountFile', async (request) => {
    const file = (request.params as { accountFile: string }).accountFile;
    const sid = /^(AC[0-9a-fA-F]{32})\.json$/.exec(file)?.[1];
    if (!sid) throw TwilioError.notFound(request.url.split('?')[0]);
    const account = authenticate(deps.store, request.headers.authorization, sid);
    return accountRepresentation(account, deps.store.accountCreated(account.sid));
  });

  void app.register(
    async (scoped) => {
      scoped.addHook('onRequest', async (request, reply) => {
        const original = request.headers['x-twilio-original-host'];
        if (typeof original === 'string' && !API_HOST.test(original)) throw TwilioError.notFound(request.url.split('?')[0]);
        const params = request.params as { AccountSid?: string; recordingFile?: string };
        // Twilio serves recording audio without credentials unless the account asks otherwise.
        if (params.recordingFile && RECORDING_MEDIA.test(params.recordingFile)) return;
        (request as AccountRequest).account = authenticate(deps.store, request.headers.authorization, params.AccountSid);
        const prefix = `/2010-04-01/Accounts/${params.AccountSid}`;
        const verdict = faults.match(request.method, request.url.split('?')[0].slice(prefix.length), params.AccountSid);
        if (!verdict) return;
        if (verdict.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(verdict.retryAfterSeconds));
        if (verdict.effect === 'refused') throw verdict.error;
        (request as FaultedRequest)[ACCEPTED_FAULT] = verdict;
      });
      // An accepted fault: the route did its work; the client hears the error all the same.
      scoped.addHook('onSend', async (request, reply, payload) => {
        const verdict = (request as FaultedRequest)[ACCEPTED_FAULT];
        if (!verdict) return payload;
        void reply.code(verdict.error.status).header('content-type', 'application/json; charset=utf-8');
        return JSON.stringify(verdict.error.toBody());
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
