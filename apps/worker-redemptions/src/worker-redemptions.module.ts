import { randomBytes } from 'node:crypto';
import { type BeforeApplicationShutdown, type DynamicModule, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CouponEventsService, CouponTrackingModule, RedemptionTracker, WebhookDeliveriesService } from '@ringflow/campaign';
import { secretsKeyBytes } from '@ringflow/config';
import { REDIS, WorkerBaseModule } from '@ringflow/database';
import { SafeHttpClient } from '@ringflow/egress';
import { TenancyModule } from '@ringflow/tenancy';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { CouponEventFeeder } from './coupon-event-feeder';
import { RedemptionWorkers } from './redemption-workers.service';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import type { WorkerRedemptionsConfig } from './worker-redemptions.config';

const CONFIG = Symbol('WORKER_REDEMPTIONS_CONFIG');

export interface WorkerRedemptionsOverrides {
  logger: Logger;
  /** false: the app provides the services (replay, endpoints...) but runs no workers and no feeder. */
  runWorkers?: boolean;
}

/** worker-redemptions: redemption tracking (attribution, funnel) and tenant webhooks, on BullMQ over Postgres and Redis. */
@Module({})
export class WorkerRedemptionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(RedemptionWorkers) private readonly workers: RedemptionWorkers,
    @Inject(SafeHttpClient) private readonly http: SafeHttpClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: WorkerRedemptionsConfig & { runWorkers: boolean },
  ) {}

  static forRoot(config: WorkerRedemptionsConfig, overrides: WorkerRedemptionsOverrides): DynamicModule {
    const secretsKey = secretsKeyBytes(config.SECRETS_KEY);
    if (!secretsKey) throw new Error('SECRETS_KEY must be 32 bytes as hex or base64');
    const namespace = config.QUEUE_NAMESPACE;
    return {
      module: WorkerRedemptionsModule,
      imports: [
        WorkerBaseModule.forRoot('worker-redemptions', config),
        // No HTTP here: the operator key is never checked, so a random one keeps the module's contract.
        TenancyModule.forRoot({ operatorApiKey: randomBytes(32).toString('hex'), secretsKey, guardEverything: false }),
        CouponTrackingModule.forRoot({ secretsKey, namespace, webhookJobs: { attempts: config.WEBHOOK_ATTEMPTS, backoffMs: config.WEBHOOK_RETRY_BACKOFF_MS } }),
      ],
      providers: [
        { provide: CONFIG, useValue: { ...config, runWorkers: overrides.runWorkers ?? true } },
        { provide: SafeHttpClient, useFactory: () => new SafeHttpClient({ allowCidrs: config.HTTP_EGRESS_ALLOW_CIDRS, userAgent: 'Ringflow-Webhooks/1' }) },
        {
          provide: WebhookDeliveryProcessor,
          useFactory: (deliveries: WebhookDeliveriesService, http: SafeHttpClient) => new WebhookDeliveryProcessor(deliveries, http, { timeoutMs: config.WEBHOOK_TIMEOUT_MS }),
          inject: [WebhookDeliveriesService, SafeHttpClient],
        },
        {
          provide: CouponEventFeeder,
          useFactory: (events: CouponEventsService, redis: Redis) => new CouponEventFeeder(events, { connection: redis, namespace }, overrides.logger),
          inject: [CouponEventsService, REDIS],
        },
        {
          provide: RedemptionWorkers,
          useFactory: (tracker: RedemptionTracker, webhooks: WebhookDeliveryProcessor, feeder: CouponEventFeeder, deliveries: WebhookDeliveriesService) =>
            new RedemptionWorkers(tracker, webhooks, feeder, overrides.logger, deliveries),
          inject: [RedemptionTracker, WebhookDeliveryProcessor, CouponEventFeeder, WebhookDeliveriesService],
        },
      ],
    };
  }

  onApplicationBootstrap(): void {
    if (!this.config.runWorkers) return;
    this.workers.start({
      connection: this.redis,
      namespace: this.config.QUEUE_NAMESPACE,
      pollMs: this.config.EVENT_POLL_MS,
      trackConcurrency: this.config.TRACK_CONCURRENCY,
      webhookConcurrency: this.config.WEBHOOK_CONCURRENCY,
      sweepMs: this.config.WEBHOOK_SWEEP_MS,
    });
  }

  /** Stops polling and taking jobs, lets active ones finish, then closes the HTTP client, before the data stores close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.workers.close();
    await this.http.close();
  }
}
