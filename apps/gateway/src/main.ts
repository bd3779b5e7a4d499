import 'reflect-metadata';
import { loadConfigOrExit } from '@ringflow/config';
import { createHttpApp, createLogger, runApp } from '@ringflow/observability';
import { gatewayBodyLimit, gatewayConfigSchema } from './gateway.config';
import { GatewayModule } from './gateway.module';

const config = loadConfigOrExit('gateway', gatewayConfigSchema);
const logger = createLogger('gateway', config.LOG_LEVEL);

void runApp(
  logger,
  async () => {
    const app = await createHttpApp(GatewayModule.forRoot(config), logger, { bodyLimit: gatewayBodyLimit });
    await app.listen(config.PORT, '0.0.0.0');
    return app;
  },
  () => `gateway listening on port ${config.PORT}: POST /twilio/voice, /twilio/voice/status; /api/v1/calls`,
);
