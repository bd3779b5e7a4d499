import 'reflect-metadata';
import { loadConfigOrExit, workerConfigSchema } from '@ringflow/config';
import { WorkerBaseModule } from '@ringflow/database';
import { createLogger, createWorkerApp, runApp } from '@ringflow/observability';

// Job processors join this app as their issues land; until then it boots, checks its stores and waits.
const config = loadConfigOrExit('worker-calls', workerConfigSchema);
const logger = createLogger('worker-calls', config.LOG_LEVEL);

void runApp(logger, () => createWorkerApp(WorkerBaseModule.forRoot('worker-calls', config), logger), () => 'worker-calls started (no HTTP server)');
