import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { ReadinessCheck } from '@ringflow/observability';

/** A Redis connection for an app; `forWorkers` sets what BullMQ workers require. */
export function createRedis(url: string, options: { name: string; forWorkers?: boolean }): Redis {
  const redis = new Redis(url, {
    connectionName: `ringflow-${options.name}`,
    lazyConnect: true, // connects on first command, so an app that fails to boot leaves no socket behind
    enableOfflineQueue: true,
    maxRetriesPerRequest: options.forWorkers ? null : 2,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Without a listener ioredis prints every connection error raw to stderr, outside the JSON log; it reconnects by itself.
  redis.on('error', (error: Error) => redisLogger.warn(`redis connection: ${error.message}`));
  return redis;
}

const redisLogger = new Logger('Redis');

export function redisReadiness(redis: Redis): ReadinessCheck {
  return { name: 'redis', check: async () => (await redis.ping()) === 'PONG' };
}
