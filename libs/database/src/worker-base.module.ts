import { type DynamicModule, Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { WorkerConfig } from '@ringflow/config';
import { ObservabilityModule, READINESS_CHECKS, type ReadinessCheck, runReadinessChecks } from '@ringflow/observability';
import { DataStoresModule } from './data-stores.module';
import { dataStoresReadiness } from './readiness';

/** What each worker app stands on: Postgres and Redis (as workers need them), checked once at boot. */
@Module({})
export class WorkerBaseModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Worker');

  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  static forRoot(app: string, config: WorkerConfig): DynamicModule {
    return {
      module: WorkerBaseModule,
      imports: [
        DataStoresModule.forRoot({ app, databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL, forWorkers: true }),
        ObservabilityModule.forRoot({ app, http: false, readiness: dataStoresReadiness }),
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const report = await runReadinessChecks(this.checks, 5000);
    if (!report.ready) throw new Error(`dependencies not ready: ${JSON.stringify(report.checks)}`);
    this.logger.log('Postgres and Redis reachable');
  }
}
