import { randomBytes } from 'node:crypto';
import { type BeforeApplicationShutdown, type DynamicModule, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { CampaignDialingModule, CouponSmsSendingService, CouponTrackingModule, SmsCampaignMessages, SmsPacer } from '@ringflow/campaign';
import { secretsKeyBytes } from '@ringflow/config';
import { REDIS, WorkerBaseModule } from '@ringflow/database';
import { TELEPHONY_PORT, type TelephonyPort, TwilioTelephonyAdapter } from '@ringflow/telephony';
import { TenancyModule, TwilioCredentialsService } from '@ringflow/tenancy';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { CampaignSmsProcessor } from './campaign-sms.processor';
import { CouponSmsProcessor } from './coupon-sms.processor';
import { SenderPace } from './sender-pace';
import { SmsWorkers } from './sms-workers.service';
import type { WorkerSmsConfig } from './worker-sms.config';

const CONFIG = Symbol('WORKER_SMS_CONFIG');

export interface WorkerSmsOverrides {
  logger: Logger;
  telephony?: TelephonyPort;
  /** false: the app provides the services (CouponJobs...) but runs no BullMQ workers. */
  runWorkers?: boolean;
}

/** worker-sms: coupon SMS and SMS campaign messages on BullMQ, through the tenant's Twilio account, over Postgres and Redis. */
@Module({})
export class WorkerSmsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(SmsWorkers) private readonly workers: SmsWorkers,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: WorkerSmsConfig & { runWorkers: boolean },
  ) {}

  static forRoot(config: WorkerSmsConfig, overrides: WorkerSmsOverrides): DynamicModule {
    const secretsKey = secretsKeyBytes(config.SECRETS_KEY);
    if (!secretsKey) throw new Error('SECRETS_KEY must be 32 bytes as hex or base64');
    return {
      module: WorkerSmsModule,
      imports: [
        WorkerBaseModule.forRoot('worker-sms', config),
        // No HTTP here: the operator key is never checked, so a random one keeps the module's contract.
        TenancyModule.forRoot({ operatorApiKey: randomBytes(32).toString('hex'), secretsKey, guardEverything: false }),
        CouponTrackingModule.forRoot({
          secretsKey,
          namespace: config.QUEUE_NAMESPACE,
          couponJobs: { attempts: config.SMS_ATTEMPTS, backoffMs: config.SMS_RETRY_BACKOFF_MS },
        }),
        // SMS campaigns: their messages, the per-sender pacer and the campaign queues.
        CampaignDialingModule.forRoot({ namespace: config.QUEUE_NAMESPACE }),
      ],
      providers: [
        { provide: CONFIG, useValue: { ...config, runWorkers: overrides.runWorkers ?? true } },
        { provide: TELEPHONY_PORT, useValue: overrides.telephony ?? new TwilioTelephonyAdapter({ apiBaseUrl: config.TWILIO_API_BASE_URL }) },
        {
          provide: SenderPace,
          useFactory: (redis: Redis) => new SenderPace(redis, { namespace: config.QUEUE_NAMESPACE, ceiling: config.SMS_SENDER_MPS }),
          inject: [REDIS],
        },
        {
          provide: CouponSmsProcessor,
          useFactory: (sending: CouponSmsSendingService, telephony: TelephonyPort, credentials: TwilioCredentialsService, pacer: SmsPacer, pace: SenderPace) =>
            new CouponSmsProcessor(sending, telephony, credentials, pacer, pace, {
              publicBaseUrl: config.PUBLIC_BASE_URL,
              claimMs: config.SMS_CLAIM_MS,
              settleMs: config.SMS_LOOKUP_SETTLE_MS,
              rateLimitBaseMs: config.SMS_RATE_LIMIT_BACKOFF_MS ?? config.SMS_RETRY_BACKOFF_MS,
              rateLimitMaxMs: config.SMS_RATE_LIMIT_MAX_BACKOFF_MS,
              rateLimitGiveUpMs: config.SMS_RATE_LIMIT_GIVE_UP_MS,
            }),
          inject: [CouponSmsSendingService, TELEPHONY_PORT, TwilioCredentialsService, SmsPacer, SenderPace],
        },
        {
          provide: CampaignSmsProcessor,
          useFactory: (messages: SmsCampaignMessages, pacer: SmsPacer, telephony: TelephonyPort, credentials: TwilioCredentialsService) =>
            new CampaignSmsProcessor(messages, pacer, telephony, credentials, { publicBaseUrl: config.PUBLIC_BASE_URL, claimMs: config.SMS_CLAIM_MS }),
          inject: [SmsCampaignMessages, SmsPacer, TELEPHONY_PORT, TwilioCredentialsService],
        },
        {
          provide: SmsWorkers,
          useFactory: (coupons: CouponSmsProcessor, campaigns: CampaignSmsProcessor) => new SmsWorkers(coupons, campaigns, overrides.logger),
          inject: [CouponSmsProcessor, CampaignSmsProcessor],
        },
      ],
    };
  }

  onApplicationBootstrap(): void {
    if (!this.config.runWorkers) return;
    this.workers.start({ connection: this.redis, namespace: this.config.QUEUE_NAMESPACE, concurrency: this.config.SMS_CONCURRENCY });
  }

  /** Stops taking jobs and lets active ones finish before the data stores close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.workers.close();
  }
}
