import 'reflect-metadata';
import { loadConfigOrExit } from '@ringflow/config';
import { createLogger, createWorkerApp, runApp } from '@ringflow/observability';
import { workerRedemptionsConfigSchema } from './worker-redemptions.config';
import { WorkerRedemptionsModule } from './worker-redemptions.module';

const config = loadConfigOrExit('worker-redemptions', workerRedemptionsConfigSchema);
const logger = createLogger('worker-redemptions', config.LOG_LEVEL);

void runApp(
  logger,
  () => createWorkerApp(WorkerRedemptionsModule.forRoot(config, { logger }), logger),
  () => `worker-redemptions started: redemption tracking and webhooks (poll ${config.EVENT_POLL_MS} ms, no HTTP server)`,
);
