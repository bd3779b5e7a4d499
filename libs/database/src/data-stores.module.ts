import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { appDataSourceOptions, assertUnprivilegedRole, UnsafeDatabaseRoleError } from './app-database';
import { createRedis } from './redis';

/** Injection token of the app's Redis connection. */
export const REDIS = Symbol('REDIS');

export interface DataStoresOptions {
  app: string;
  databaseUrl: string;
  redisUrl: string;
  /** Workers' connections wait for Redis instead of failing commands (BullMQ requires it). */
  forWorkers?: boolean;
}

/** Postgres (TypeORM, as the unprivileged app role) and Redis for one app, closed on shutdown. */
@Global()
@Module({})
export class DataStoresModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(options: DataStoresOptions): DynamicModule {
    return {
      module: DataStoresModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...appDataSourceOptions(options.databaseUrl, options.app),
            retryAttempts: 4,
            retryDelay: 1000,
            toRetry: (error: unknown) => !(error instanceof UnsafeDatabaseRoleError),
          }),
          dataSourceFactory: async (typeormOptions) => {
            const source = await new DataSource(typeormOptions!).initialize();
            try {
              await assertUnprivilegedRole(source);
            } catch (error) {
              await source.destroy();
              throw error;
            }
            return source;
          },
        }),
      ],
      providers: [{ provide: REDIS, useFactory: () => createRedis(options.redisUrl, { name: options.app, forWorkers: options.forWorkers }) }],
      exports: [REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
