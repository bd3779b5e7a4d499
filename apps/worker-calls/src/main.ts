import 'reflect-metadata';
import { loadConfigOrExit } from '@ringflow/config';
import { createLogger, createWorkerApp, runApp } from '@ringflow/observability';
import { workerCallsConfigSchema } from './worker-calls.config';
import { WorkerCallsModule } from './worker-calls.module';

const config = loadConfigOrExit('worker-calls', workerCallsConfigSchema);
const logger = createLogger('worker-calls', config.LOG_LEVEL);

void runApp(
  logger,
  () => createWorkerApp(WorkerCallsModule.forRoot(config, { logger }), logger),
  () => `worker-calls started: dialing campaigns (concurrency ${config.DIAL_CONCURRENCY}, no HTTP server)`,
);
