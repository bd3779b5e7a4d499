export * from './run-migrations';
export * from './app-database';
export * from './redis';
export * from './data-stores.module';
export * from './readiness';
export * from './worker-base.module';
