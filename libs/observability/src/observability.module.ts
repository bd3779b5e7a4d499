import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { AppMetrics } from './metrics';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

export interface ObservabilityOptions {
  app: string;
  /** Factories for the readiness checks; they may inject providers listed in `inject`. */
  readiness: { useFactory: (...deps: any[]) => ReadinessCheck[]; inject?: unknown[] };
  /** Serve /healthz, /readyz and /metrics (HTTP apps only). */
  http: boolean;
}

/** Health and metrics for one app. */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: options.http ? [HealthController] : [],
      providers: [
        { provide: AppMetrics, useValue: new AppMetrics(options.app) },
        {
          provide: READINESS_CHECKS,
          useFactory: options.readiness.useFactory,
          inject: (options.readiness.inject ?? []) as never[],
        },
      ],
      exports: [AppMetrics, READINESS_CHECKS],
    };
  }
}
