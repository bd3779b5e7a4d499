import { type BeforeApplicationShutdown, type DynamicModule, Inject, Module } from '@nestjs/common';
import { REDIS } from '@ringflow/database';
import { TenantDatabase } from '@ringflow/tenancy';
import type Redis from 'ioredis';
import { CAMPAIGN_CLOCK, type Clock, systemClock } from '../pacing/clock';
import { DialPacer, type DialPacerOptions } from '../pacing/dial-pacer';
import { SmsPacer } from '../pacing/sms-pacer';
import { CampaignAttemptsService } from './campaign-attempts.service';
import { CampaignExpander, type ExpansionOptions } from './campaign-expander.service';
import { CampaignLauncher } from './campaign-launcher.service';
import { CampaignQueues } from './campaign-queues';
import { CampaignsService } from './campaigns.service';
import { SmsCampaignMessages } from './sms-campaign-messages.service';
import { SmsCampaignsService } from './sms-campaigns.service';

export interface CampaignDialingOptions {
  /** BullMQ and pacing namespace (default `ringflow`). */
  namespace?: string;
  clock?: Clock;
  pacer?: Omit<DialPacerOptions, 'namespace'>;
  expansion?: ExpansionOptions;
}

/**
 * The campaign services that need Redis: queues, the pacers, expansion, attempts, the launcher and SMS campaigns.
 * Needs DataStoresModule (REDIS) and TenancyModule (TenantDatabase) in the app.
 */
@Module({})
export class CampaignDialingModule implements BeforeApplicationShutdown {
  constructor(@Inject(CampaignQueues) private readonly queues: CampaignQueues) {}

  static forRoot(options: CampaignDialingOptions = {}): DynamicModule {
    const exported = [CampaignsService, CampaignQueues, DialPacer, CampaignExpander, CampaignAttemptsService, CampaignLauncher, CAMPAIGN_CLOCK, SmsPacer, SmsCampaignsService, SmsCampaignMessages];
    return {
      module: CampaignDialingModule,
      global: true,
      providers: [
        CampaignsService,
        { provide: CAMPAIGN_CLOCK, useValue: options.clock ?? systemClock },
        { provide: CampaignQueues, useFactory: (redis: Redis) => new CampaignQueues({ connection: redis, namespace: options.namespace }), inject: [REDIS] },
        { provide: DialPacer, useFactory: (redis: Redis) => new DialPacer(redis, { ...options.pacer, namespace: options.namespace }), inject: [REDIS] },
        {
          provide: CampaignExpander,
          useFactory: (db: TenantDatabase, campaigns: CampaignsService, queues: CampaignQueues, clock: Clock, pacer: DialPacer) =>
            new CampaignExpander(db, campaigns, queues, clock, options.expansion, pacer),
          inject: [TenantDatabase, CampaignsService, CampaignQueues, CAMPAIGN_CLOCK, DialPacer],
        },
        {
          provide: CampaignAttemptsService,
          useFactory: (db: TenantDatabase, campaigns: CampaignsService, queues: CampaignQueues, pacer: DialPacer, clock: Clock) =>
            new CampaignAttemptsService(db, campaigns, queues, pacer, clock),
          inject: [TenantDatabase, CampaignsService, CampaignQueues, DialPacer, CAMPAIGN_CLOCK],
        },
        { provide: SmsPacer, useFactory: (redis: Redis) => new SmsPacer(redis, { namespace: options.namespace }), inject: [REDIS] },
        { provide: SmsCampaignsService, useFactory: (db: TenantDatabase, q: CampaignQueues) => new SmsCampaignsService(db, q), inject: [TenantDatabase, CampaignQueues] },
        { provide: SmsCampaignMessages, useFactory: (db: TenantDatabase) => new SmsCampaignMessages(db), inject: [TenantDatabase] },
        { provide: CampaignLauncher, useFactory: (c: CampaignsService, q: CampaignQueues) => new CampaignLauncher(c, q), inject: [CampaignsService, CampaignQueues] },
      ],
      exports: exported,
    };
  }

  /** Before the shared Redis connection is closed (DataStoresModule does it on shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}
