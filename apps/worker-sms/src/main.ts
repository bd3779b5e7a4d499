import 'reflect-metadata';
import { loadConfigOrExit, workerConfigSchema } from '@ringflow/config';
import { WorkerBaseModule } from '@ringflow/database';
import { createLogger, createWorkerApp, runApp } from '@ringflow/observability';

// Job processors join this app as their issues land; until then it boots, checks its stores and waits.
const config = loadConfigOrExit('worker-sms', workerConfigSchema);
const logger = createLogger('worker-sms', config.LOG_LEVEL);

void runApp(logger, () => createWorkerApp(WorkerBaseModule.forRoot('worker-sms', config), logger), () => 'worker-sms started (no HTTP server)');
