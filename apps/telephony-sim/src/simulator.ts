import Fastify, { type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { registerControlRoutes } from './control/control.routes';
import { registerFormParser } from './http/form-body';
import { registerLookupRoutes } from './rest/lookups.routes';
import type { RestDeps } from './rest/rest-deps';
import { registerTwilioApi } from './rest/twilio-api.plugin';
import { TwilioError } from './rest/twilio-error';
import { RateLimiter } from './state/rate-limiter';
import { SimStore } from './state/sim-store';
import { SmsEngine } from './sms/sms-engine';
import { CallEngine } from './voice/call-engine';
import { registerPhonePage } from './page/phone-page.routes';

export interface SimulatorOptions {
  /** A pino logger; a silent one when omitted. */
  logger?: Logger;
  /** Real milliseconds per simulated second of a call (0, the default: as fast as webhooks answer). */
  realMsPerSecond?: number;
  /** The URL others reach the simulator at (recording media URLs); the listening address if unset. */
  publicUrl?: string;
}

export interface Simulator {
  app: FastifyInstance;
  store: SimStore;
  calls: CallEngine;
  sms: SmsEngine;
  /** The simulator's base URL once listening, e.g. http://127.0.0.1:4010. */
  url: string;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds the simulator (Twilio's REST API, Lookups, the /sim control API) without listening. */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const log = options.logger ?? pino({ level: 'silent' });
  const store = new SimStore();
  const sms = new SmsEngine(store, log);
  const holder = { url: '' };
  const calls = new CallEngine({
    store,
    sms,
    log,
    get publicBaseUrl() {
      return holder.url;
    },
    realMsPerSecond: options.realMsPerSecond ?? 0,
  });
  const deps: RestDeps = { store, limiter: new RateLimiter(), calls, sms, publicBaseUrl: () => holder.url };

  const app: FastifyInstance = Fastify({ logger: false });
  registerFormParser(app);
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof TwilioError) return reply.code(err.status).send(err.toBody());
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) log.error({ err, url: request.url }, 'simulator error');
    return reply.code(status).send(new TwilioError(status, status === 500 ? 20500 : 20001, (err as Error).message).toBody());
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send(TwilioError.notFound(request.url.split('?')[0]).toBody()));
  app.get('/healthz', async () => ({ status: 'ok' }));
  registerTwilioApi(app, deps);
  registerLookupRoutes(app, deps);
  registerControlRoutes(app, deps);
  registerPhonePage(app);

  const sim: Simulator = {
    app,
    store,
    calls,
    sms,
    get url() {
      return holder.url;
    },
    async listen(port: number, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      holder.url = options.publicUrl?.replace(/\/$/, '') ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`;
      return holder.url;
    },
    async close() {
      await calls.hangUpAll();
      await app.close();
    },
  };
  return sim;
}

/** Creates and starts the simulator; `port: 0` picks a free port (see `url`). */
export async function startSimulator(opts: SimulatorOptions & { port?: number; host?: string } = {}): Promise<Simulator> {
  const sim = createSimulator(opts);
  await sim.listen(opts.port ?? 0, opts.host);
  return sim;
}
