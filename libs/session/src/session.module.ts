import { Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import { TenantDatabase } from '@ringflow/tenancy';
import { CallRecordsRepository } from './call-records.repository';
import { CallSessionStore } from './call-session.store';
import { SessionVariablesService } from './session-variables.service';

/** Live call sessions (Redis), their variables API and call records (Postgres). Needs DataStoresModule and TenancyModule. */
@Module({
  providers: [
    { provide: CallSessionStore, useFactory: (redis: Redis) => new CallSessionStore(redis), inject: [REDIS] },
    { provide: SessionVariablesService, useFactory: (s: CallSessionStore, db: TenantDatabase) => new SessionVariablesService(s, db), inject: [CallSessionStore, TenantDatabase] },
    { provide: CallRecordsRepository, useFactory: (db: TenantDatabase) => new CallRecordsRepository(db), inject: [TenantDatabase] },
  ],
  exports: [CallSessionStore, SessionVariablesService, CallRecordsRepository],
})
export class SessionModule {}
