import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { type BeforeApplicationShutdown, type DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { REDIS } from '@ringflow/database';
import { queuePrefix, QueueName } from '@ringflow/queue';
import { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { BullBoardFastifyAdapter } from './bull-board-fastify.adapter';
import { isOperatorKey, presentedKey } from './operator-key-check';

/** Where the dashboard is served. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

const OPTIONS = Symbol('QUEUE_DASHBOARD_OPTIONS');

export interface QueueDashboardOptions {
  operatorApiKey: string;
  /** The BullMQ namespace of the deployment (QUEUE_NAMESPACE). */
  namespace: string;
}

/**
 * Bull Board over every queue of the platform (QueueName), at /admin/queues, for the operator only. Bull Board
 * registers plain Fastify routes, which the admin API's Nest guard never sees: an `onRequest` hook on their
 * scope asks for the operator key (Bearer, or the Basic auth password so a browser can log in) and answers
 * 401 with `WWW-Authenticate: Basic` otherwise.
 */
@Module({})
export class QueueDashboardModule implements OnModuleInit, BeforeApplicationShutdown {
  private readonly queues: Queue[] = [];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(OPTIONS) private readonly options: QueueDashboardOptions,
  ) {}

  static forRoot(options: QueueDashboardOptions): DynamicModule {
    return { module: QueueDashboardModule, providers: [{ provide: OPTIONS, useValue: options }] };
  }

  async onModuleInit(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const prefix = queuePrefix(this.options.namespace);
    for (const name of Object.values(QueueName)) this.queues.push(new Queue(name, { connection: this.redis, prefix }));
    const board = new BullBoardFastifyAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({ queues: this.queues.map((q) => new BullMQAdapter(q)), serverAdapter: board, options: { uiConfig: { boardTitle: 'Ringflow queues' } } });
    const operatorKey = this.options.operatorApiKey;
    await fastify.register(async (scope) => {
      scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        if (isOperatorKey(presentedKey(req.headers.authorization), operatorKey)) return;
        return reply.status(401).header('WWW-Authenticate', 'Basic realm="Ringflow queues", charset="UTF-8"').type('text/plain').send('Unauthorized: the operator key is needed');
      });
      await board.register(scope);
    });
  }

  /** The dashboard's queue handles; the shared Redis connection is closed by DataStoresModule. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.splice(0).map((q) => q.close()));
  }
}
