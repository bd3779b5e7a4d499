import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import type { Logger } from 'pino';
import { AppMetrics } from './metrics';
import { PinoNestLogger } from './nest-logger';

export interface HttpAppOptions {
  port: number;
  host?: string;
  /** Largest request body accepted, in bytes; larger ones get 413 before any handler runs. */
  bodyLimit?: number;
  /**
   * Addresses or CIDR ranges of the reverse proxies whose `X-Forwarded-For` (and `-Proto`, `-Host`) is believed;
   * from any other peer those headers are ignored and the client is the peer. Default: loopback only.
   */
  trustedProxies?: readonly string[];
  /**
   * Path prefixes of high-volume machine traffic (Twilio's webhooks) whose answers below 400 are logged at debug,
   * not info. Answers of 400 and above, and every other route, keep their info line.
   */
  quietRoutePrefixes?: readonly string[];
}

/** Loopback: a reverse proxy on the same host; a client connecting directly cannot choose its own address. */
export const DEFAULT_TRUSTED_PROXIES: readonly string[] = ['127.0.0.0/8', '::1/128'];

/** Creates a Nest app on Fastify with JSON logs, request ids, request metrics and graceful shutdown. */
export async function createHttpApp(
  module: unknown,
  logger: Logger,
  options: Pick<HttpAppOptions, 'bodyLimit' | 'trustedProxies' | 'quietRoutePrefixes'> = {},
): Promise<NestFastifyApplication> {
  const trusted = options.trustedProxies ?? DEFAULT_TRUSTED_PROXIES;
  const quiet = options.quietRoutePrefixes ?? [];
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // Fastify (proxy-addr) treats an empty list as "trust nobody"; `false` says the same.
    trustProxy: trusted.length > 0 ? [...trusted] : false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
    abortOnError: false,
  });
  const metrics = app.get(AppMetrics, { strict: false });
  const fastify = app.getHttpAdapter().getInstance();
  // Each request's async context (nestjs-cls), with the request id as `requestId`, opened by a Fastify hook: cheaper
  // than nestjs-cls's middleware (middie, and several awaits per request). Guards, interceptors and handlers run inside
  // it; Nest middleware runs before it. An app that still mounts nestjs-cls's middleware keeps the context it opened.
  const cls = ClsServiceManager.getClsService();
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (cls.isActive()) return done();
    cls.run(() => {
      cls.set(CLS_ID, request.id);
      cls.set('requestId', request.id);
      done();
    });
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, reply.elapsedTime / 1000);
    if (route !== '/healthz' && route !== '/readyz' && route !== '/metrics') {
      const level = status < 400 && quiet.some((prefix) => route.startsWith(prefix)) ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) logger[level]({ requestId: request.id, method: request.method, route, status, ms: Math.round(reply.elapsedTime) }, 'request');
    }
    done();
  });
  app.enableShutdownHooks();
  return app;
}

/** Boots an app or stops the process with the reason logged: a half-started app is worse than none. */
export async function runApp<T extends INestApplication | INestApplicationContext>(
  logger: Logger,
  start: () => Promise<T>,
  describe: (app: T) => string,
): Promise<T> {
  try {
    const app = await start();
    logger.info(describe(app));
    return app;
  } catch (error) {
    logger.fatal({ err: error }, `failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/** Creates a worker: a Nest application context (no HTTP server) that closes its resources on SIGTERM. */
export async function createWorkerApp(module: unknown, logger: Logger): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(module as never, { logger: new PinoNestLogger(logger), abortOnError: false });
  app.enableShutdownHooks();
  return app;
}
