import { type BeforeApplicationShutdown, type DynamicModule, Inject, Module } from '@nestjs/common';
import { REDIS } from '@ringflow/database';
import { SecretsCipher, TenantDatabase } from '@ringflow/tenancy';
import type Redis from 'ioredis';
import { CouponEventsService } from '../coupon/coupon-events.service';
import { CouponJobs, type CouponJobsOptions } from '../coupon/coupon-jobs';
import { CouponSmsSendingService } from '../coupon/coupon-sms-sending.service';
import { SmsStatusService } from '../coupon/coupon-sms-status.service';
import { WebhookDeliveriesService } from '../webhook/webhook-deliveries.service';
import { WebhookEndpointsService } from '../webhook/webhook-endpoints.service';
import { WebhookJobs, type WebhookJobsOptions } from '../webhook/webhook-jobs';
import { FunnelService } from './funnel.service';
import { RedemptionTracker } from './redemption-tracker.service';

export interface CouponTrackingOptions {
  /** The 32-byte SECRETS_KEY: webhook signing secrets are sealed with it. */
  secretsKey: Buffer;
  /** BullMQ namespace (default `ringflow`); every process of one deployment uses the same. */
  namespace?: string;
  couponJobs?: CouponJobsOptions;
  webhookJobs?: WebhookJobsOptions;
}

/**
 * Coupon SMS sending and statuses, the funnel, redemption tracking and tenant webhooks, with their job
 * producers. Needs DataStoresModule (REDIS) and TenancyModule (TenantDatabase) in the app.
 */
@Module({})
export class CouponTrackingModule implements BeforeApplicationShutdown {
  constructor(
    @Inject(CouponJobs) private readonly couponJobs: CouponJobs,
    @Inject(WebhookJobs) private readonly webhookJobs: WebhookJobs,
  ) {}

  static forRoot(options: CouponTrackingOptions): DynamicModule {
    const exported = [SmsStatusService, CouponSmsSendingService, CouponJobs, FunnelService, CouponEventsService, WebhookEndpointsService, WebhookJobs, WebhookDeliveriesService, RedemptionTracker];
    return {
      module: CouponTrackingModule,
      global: true,
      providers: [
        SmsStatusService,
        CouponSmsSendingService,
        FunnelService,
        CouponEventsService,
        { provide: CouponJobs, useFactory: (redis: Redis) => new CouponJobs({ connection: redis, namespace: options.namespace }, options.couponJobs), inject: [REDIS] },
        { provide: WebhookJobs, useFactory: (redis: Redis) => new WebhookJobs({ connection: redis, namespace: options.namespace }, options.webhookJobs), inject: [REDIS] },
        { provide: WebhookEndpointsService, useFactory: (db: TenantDatabase) => new WebhookEndpointsService(db, new SecretsCipher(options.secretsKey)), inject: [TenantDatabase] },
        {
          provide: WebhookDeliveriesService,
          useFactory: (db: TenantDatabase, endpoints: WebhookEndpointsService, jobs: WebhookJobs) => new WebhookDeliveriesService(db, endpoints, jobs),
          inject: [TenantDatabase, WebhookEndpointsService, WebhookJobs],
        },
        {
          provide: RedemptionTracker,
          useFactory: (db: TenantDatabase, events: CouponEventsService, deliveries: WebhookDeliveriesService) => new RedemptionTracker(db, events, deliveries),
          inject: [TenantDatabase, CouponEventsService, WebhookDeliveriesService],
        },
      ],
      exports: exported,
    };
  }

  /** Before the shared Redis connection is closed (DataStoresModule does it on shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.couponJobs.close(), this.webhookJobs.close()]);
  }
}
