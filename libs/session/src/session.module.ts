import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import { TenantDatabase } from '@ringflow/tenancy';
import { CallRecordsRepository } from './call-records.repository';
import { CallSessionStore } from './call-session.store';
import { CallSignals } from './call-signals';
import { SessionVariablesService } from './session-variables.service';

/** Live call sessions (Redis), their variables API and call records (Postgres). Needs DataStoresModule and TenancyModule. */
@Module({
  providers: [
    { provide: CallSessionStore, useFactory: (redis: Redis) => new CallSessionStore(redis), inject: [REDIS] },
    { provide: CallSignals, useFactory: (redis: Redis) => new CallSignals(redis), inject: [REDIS] },
    {
      provide: SessionVariablesService,
      useFactory: (s: CallSessionStore, db: TenantDatabase, signals: CallSignals) => new SessionVariablesService(s, db, signals),
      inject: [CallSessionStore, TenantDatabase, CallSignals],
    },
    { provide: CallRecordsRepository, useFactory: (db: TenantDatabase) => new CallRecordsRepository(db), inject: [TenantDatabase] },
  ],
  exports: [CallSessionStore, CallSignals, SessionVariablesService, CallRecordsRepository],
})
export class SessionModule implements OnApplicationShutdown {
  constructor(@Inject(CallSignals) private readonly signals: CallSignals) {}

  async onApplicationShutdown(): Promise<void> {
    await this.signals.close();
  }
}
