import { randomBytes } from 'node:crypto';
import { type BeforeApplicationShutdown, type DynamicModule, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import {
  CAMPAIGN_CLOCK,
  CampaignAttemptsService,
  CampaignDialingModule,
  CampaignExpander,
  CampaignQueues,
  CampaignReconciliationService,
  type Clock,
  DialPacer,
  type DialPacerOptions,
  type ExpansionOptions,
} from '@ringflow/campaign';
import { secretsKeyBytes } from '@ringflow/config';
import { REDIS, WorkerBaseModule } from '@ringflow/database';
import { TELEPHONY_PORT, type TelephonyPort, TwilioTelephonyAdapter } from '@ringflow/telephony';
import { TenancyModule, TenantDatabase, type TenantId, TwilioCredentialsService } from '@ringflow/tenancy';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { CallWorkers } from './call-workers.service';
import { CampaignReconciler, type ReconcilerOptions } from './campaign-reconciler';
import { DialContactProcessor } from './dial-contact.processor';
import { TenantCredentialsCache } from './tenant-credentials.cache';
import type { WorkerCallsConfig } from './worker-calls.config';

const CONFIG = Symbol('WORKER_CALLS_CONFIG');

export interface WorkerCallsOverrides {
  logger: Logger;
  /** Tests move time for calling windows; production uses the system clock. */
  clock?: Clock;
  telephony?: TelephonyPort;
  pacer?: Omit<DialPacerOptions, 'namespace'>;
  expansion?: ExpansionOptions;
  /** false: the app provides the services but runs no BullMQ workers (a producer only, e.g. in tests). */
  runWorkers?: boolean;
  /** Tests reconcile more often and sooner than production does. */
  reconciler?: Partial<ReconcilerOptions>;
  /** How long after an ambiguous Twilio answer (5xx, timeout) a dial looks for its call. */
  lookupSettleMs?: number;
}

/** worker-calls: campaign expansion and paced dialing on BullMQ, over Postgres and Redis. */
@Module({})
export class WorkerCallsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(CallWorkers) private readonly workers: CallWorkers,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: WorkerCallsConfig & { runWorkers: boolean },
    @Inject(CampaignReconciler) private readonly reconciler: CampaignReconciler,
  ) {}

  static forRoot(config: WorkerCallsConfig, overrides: WorkerCallsOverrides): DynamicModule {
    const secretsKey = secretsKeyBytes(config.SECRETS_KEY);
    if (!secretsKey) throw new Error('SECRETS_KEY must be 32 bytes as hex or base64');
    return {
      module: WorkerCallsModule,
      imports: [
        WorkerBaseModule.forRoot('worker-calls', config),
        // No HTTP here: the operator key is never checked, so a random one keeps the module's contract.
        TenancyModule.forRoot({ operatorApiKey: randomBytes(32).toString('hex'), secretsKey, guardEverything: false }),
        CampaignDialingModule.forRoot({
          namespace: config.QUEUE_NAMESPACE,
          clock: overrides.clock,
          pacer: overrides.pacer,
          expansion: overrides.expansion,
        }),
      ],
      providers: [
        { provide: CONFIG, useValue: { ...config, runWorkers: overrides.runWorkers ?? true } },
        { provide: TELEPHONY_PORT, useValue: overrides.telephony ?? new TwilioTelephonyAdapter({ apiBaseUrl: config.TWILIO_API_BASE_URL }) },
        { provide: TenantCredentialsCache, useFactory: (s: TwilioCredentialsService) => new TenantCredentialsCache(s), inject: [TwilioCredentialsService] },
        {
          provide: CampaignReconciliationService,
          useFactory: (db: TenantDatabase, clock: Clock) => new CampaignReconciliationService(db, clock),
          inject: [TenantDatabase, CAMPAIGN_CLOCK],
        },
        {
          provide: DialContactProcessor,
          useFactory: (
            attempts: CampaignAttemptsService,
            pacer: DialPacer,
            telephony: TelephonyPort,
            creds: TenantCredentialsCache,
            clock: Clock,
            reconciliation: CampaignReconciliationService,
          ) => new DialContactProcessor(attempts, pacer, telephony, creds, clock, config.PUBLIC_BASE_URL.replace(/\/$/, ''), reconciliation, overrides.lookupSettleMs),
          inject: [CampaignAttemptsService, DialPacer, TELEPHONY_PORT, TenantCredentialsCache, CAMPAIGN_CLOCK, CampaignReconciliationService],
        },
        {
          provide: CampaignReconciler,
          useFactory: (
            redis: Redis,
            source: DataSource,
            reconciliation: CampaignReconciliationService,
            attempts: CampaignAttemptsService,
            expander: CampaignExpander,
            queues: CampaignQueues,
            telephony: TelephonyPort,
            creds: TenantCredentialsCache,
          ) =>
            new CampaignReconciler(
              redis,
              config.QUEUE_NAMESPACE,
              async (after, limit) => (await source.query('SELECT id FROM ringflow_tenant_ids($1, $2)', [after, limit])).map((r: { id: string }) => r.id as TenantId),
              reconciliation,
              attempts,
              expander,
              queues,
              telephony,
              creds,
              overrides.logger,
              { intervalMs: config.RECONCILE_MS, attemptBoundMs: config.ATTEMPT_OUTCOME_BOUND_MS, ...overrides.reconciler },
            ),
          inject: [REDIS, getDataSourceToken(), CampaignReconciliationService, CampaignAttemptsService, CampaignExpander, CampaignQueues, TELEPHONY_PORT, TenantCredentialsCache],
        },
        {
          provide: CallWorkers,
          useFactory: (dial: DialContactProcessor, expander: CampaignExpander) => new CallWorkers(dial, expander, overrides.logger),
          inject: [DialContactProcessor, CampaignExpander],
        },
      ],
    };
  }

  onApplicationBootstrap(): void {
    if (!this.config.runWorkers) return;
    this.workers.start({ connection: this.redis, namespace: this.config.QUEUE_NAMESPACE, dialConcurrency: this.config.DIAL_CONCURRENCY, lockDurationMs: this.config.JOB_LOCK_MS });
    this.reconciler.start();
  }

  /** Stops taking jobs and lets active ones finish before the data stores close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.reconciler.stop();
    await this.workers.close();
  }
}
