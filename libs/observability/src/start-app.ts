import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { AppMetrics } from './metrics';
import { PinoNestLogger } from './nest-logger';

export interface HttpAppOptions {
  port: number;
  host?: string;
  /** Largest request body accepted, in bytes; larger ones get 413 before any handler runs. */
  bodyLimit?: number;
}

/** Creates a Nest app on Fastify with JSON logs, request ids, request metrics and graceful shutdown. */
export async function createHttpApp(module: unknown, logger: Logger, options: Pick<HttpAppOptions, 'bodyLimit'> = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    trustProxy: true,
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
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (route !== '/healthz' && route !== '/readyz' && route !== '/metrics') {
      logger.info({ requestId: request.id, method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    }
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
