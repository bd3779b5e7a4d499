import Redis from 'ioredis';
import type { ReadinessCheck } from '@ringflow/observability';

/** A Redis connection for an app; `forWorkers` sets what BullMQ workers require. */
export function createRedis(url: string, options: { name: string; forWorkers?: boolean }): Redis {
  return new Redis(url, {
    connectionName: `ringflow-${options.name}`,
    lazyConnect: true, // connects on first command, so an app that fails to boot leaves no socket behind
    enableOfflineQueue: true,
    maxRetriesPerRequest: options.forWorkers ? null : 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

export function redisReadiness(redis: Redis): ReadinessCheck {
  return { name: 'redis', check: async () => (await redis.ping()) === 'PONG' };
}
