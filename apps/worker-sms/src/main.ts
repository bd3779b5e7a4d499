import 'reflect-metadata';
import { loadConfigOrExit } from '@ringflow/config';
import { createLogger, createWorkerApp, runApp } from '@ringflow/observability';
import { workerSmsConfigSchema } from './worker-sms.config';
import { WorkerSmsModule } from './worker-sms.module';

const config = loadConfigOrExit('worker-sms', workerSmsConfigSchema);
const logger = createLogger('worker-sms', config.LOG_LEVEL);

void runApp(
  logger,
  () => createWorkerApp(WorkerSmsModule.forRoot(config, { logger }), logger),
  () => `worker-sms started: coupon SMS and SMS campaigns (concurrency ${config.SMS_CONCURRENCY}, no HTTP server)`,
);
