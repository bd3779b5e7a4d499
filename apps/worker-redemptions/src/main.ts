import 'reflect-metadata';
import { loadConfigOrExit, workerConfigSchema } from '@ringflow/config';
import { WorkerBaseModule } from '@ringflow/database';
import { createLogger, createWorkerApp, runApp } from '@ringflow/observability';

// Job processors join this app as their issues land; until then it boots, checks its stores and waits.
const config = loadConfigOrExit('worker-redemptions', workerConfigSchema);
const logger = createLogger('worker-redemptions', config.LOG_LEVEL);

void runApp(logger, () => createWorkerApp(WorkerBaseModule.forRoot('worker-redemptions', config), logger), () => 'worker-redemptions started (no HTTP server)');
