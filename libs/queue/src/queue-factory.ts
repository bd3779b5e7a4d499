import { type Job, type JobsOptions, Queue, Worker, type WorkerOptions } from 'bullmq';
import type Redis from 'ioredis';
import { ClsServiceManager } from 'nestjs-cls';
import type { JobName } from './job-name';
import type { JobPayload } from './job-payloads';
import { JOB_QUEUES, type QueueName } from './queue-name';

/** Where BullMQ keeps its keys: one prefix for every queue, wrapped in a hash tag for Redis Cluster. */
export interface QueueSettings {
  connection: Redis;
  /** The namespace inside the hash tag; tests give each file its own. Default `ringflow`. */
  namespace?: string;
}

/** `{ringflow}`: every key of every queue hashes to one Redis Cluster slot, which BullMQ's scripts need. */
export function queuePrefix(namespace = 'ringflow'): string {
  if (!/^[a-z0-9-]+$/.test(namespace)) throw new Error(`queue namespace "${namespace}" may hold only a-z, 0-9 and "-"`);
  return `{${namespace}}`;
}

/** Finished jobs are kept a while for inspection, then dropped, so Redis does not grow with history. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

export type TypedJob<N extends JobName> = Job<JobPayload<N>, unknown, N>;

/** A producer for the queue that runs `name`, with the shared prefix and default job options. */
export function createQueue<N extends JobName>(name: N, settings: QueueSettings): Queue<JobPayload<N>, unknown, N> {
  const queue = new Queue<JobPayload<N>, unknown, N>(JOB_QUEUES[name], {
    connection: settings.connection,
    prefix: queuePrefix(settings.namespace),
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  // Connection errors reach the connection's own listener (createRedis); without one here BullMQ prints each raw to stderr.
  queue.on('error', () => undefined);
  return queue;
}

/**
 * A worker on `queue`. It needs a connection with `maxRetriesPerRequest: null` (createRedis with
 * forWorkers); BullMQ duplicates it for the blocking reads.
 */
export function createWorker<N extends JobName>(
  queue: QueueName,
  processor: (job: TypedJob<N>, token?: string) => Promise<unknown>,
  settings: QueueSettings & Omit<WorkerOptions, 'connection' | 'prefix'>,
): Worker<JobPayload<N>, unknown, N> {
  const { connection, namespace, ...options } = settings;
  if (connection.options.maxRetriesPerRequest !== null) {
    throw new Error(`worker for queue ${queue} needs a Redis connection with maxRetriesPerRequest: null (createRedis(url, { forWorkers: true }))`);
  }
  return new Worker<JobPayload<N>, unknown, N>(queue, (job, token) => inTenantContext(job, () => processor(job, token)), {
    ...options, connection, prefix: queuePrefix(namespace),
  });
}

/**
 * Runs a job in an async context holding its tenant, as a request's is: its log lines carry the tenant id, and the
 * SSRF-safe HTTP client keeps the tenant's connections apart from other tenants' (a tenant's stuck endpoint on a
 * shared host cannot hold up another tenant's deliveries).
 */
function inTenantContext<T>(job: { data: { tenantId?: unknown } }, work: () => Promise<T>): Promise<T> {
  const cls = ClsServiceManager.getClsService();
  const tenantId = job.data?.tenantId;
  return cls.run(() => {
    if (typeof tenantId === 'string') cls.set('tenantId', tenantId);
    return work();
  });
}
