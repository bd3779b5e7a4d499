import { Module } from '@nestjs/common';
import { FlowStore } from './flow-store.service';

/** Provides FlowStore; needs TenancyModule (TenantDatabase) in the app. */
@Module({ providers: [FlowStore], exports: [FlowStore] })
export class FlowStoreModule {}
