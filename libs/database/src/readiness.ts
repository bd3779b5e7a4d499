import { getDataSourceToken } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import { postgresReadiness } from './app-database';
import { REDIS } from './data-stores.module';
import { redisReadiness } from './redis';

/** ObservabilityModule readiness wiring for an app built on DataStoresModule: Postgres and Redis. */
export const dataStoresReadiness = {
  useFactory: (source: DataSource, redis: Redis) => [postgresReadiness(source), redisReadiness(redis)],
  inject: [getDataSourceToken(), REDIS],
};
