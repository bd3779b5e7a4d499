import 'reflect-metadata';
import { loadConfigOrExit } from '@ringflow/config';
import { createLogger, runApp } from '@ringflow/observability';
import { createGatewayApp } from './gateway-app';
import { gatewayConfigSchema } from './gateway.config';

const config = loadConfigOrExit('gateway', gatewayConfigSchema);
const logger = createLogger('gateway', config.LOG_LEVEL);

void runApp(
  logger,
  async () => {
    const app = await createGatewayApp(config, logger);
    await app.listen(config.PORT, config.HOST);
    return app;
  },
  () => `gateway listening on ${config.HOST} port ${config.PORT}: POST /twilio/voice, /twilio/voice/status; /api/v1/calls, /api/v1/redemptions; GET /api/v1/openapi.json`,
);
