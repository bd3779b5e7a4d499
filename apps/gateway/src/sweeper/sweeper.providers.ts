import type { Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import { CallRecordOutbox, CallRecordsRepository } from '@ringflow/session';
import { CallEnding } from './call-ending';
import { CallSweeper } from './call-sweeper';
import { SweptCampaignAttempt } from './swept-campaign-attempt';
import { TenantDirectory } from './tenant-directory';

/** Ending calls once (status callback or sweeper), call records that wait for Postgres, and the call sweeper. */
export const sweeperProviders: Provider[] = [
  {
    provide: CallRecordOutbox,
    useFactory: (redis: Redis, records: CallRecordsRepository) => new CallRecordOutbox(redis, records),
    inject: [REDIS, CallRecordsRepository],
  },
  CallEnding,
  TenantDirectory,
  SweptCampaignAttempt,
  CallSweeper,
];
