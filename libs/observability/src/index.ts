export * from './logger';
export * from './nest-logger';
export * from './readiness';
export * from './metrics';
export * from './public.decorator';
export * from './health.controller';
export * from './observability.module';
export * from './start-app';
