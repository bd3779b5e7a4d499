import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { createHttpApp } from '@ringflow/observability';
import { gatewayBodyLimit, gatewayQuietRoutes, type GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { serveOpenApi } from './openapi/openapi-document';

/** The gateway as `main.ts` runs it: the Nest app on Fastify plus its OpenAPI document at GET /api/v1/openapi.json. */
export async function createGatewayApp(config: GatewayConfig, logger: Logger): Promise<NestFastifyApplication> {
  const app = await createHttpApp(GatewayModule.forRoot(config), logger, {
    bodyLimit: gatewayBodyLimit, trustedProxies: config.TRUSTED_PROXIES, quietRoutePrefixes: gatewayQuietRoutes,
  });
  serveOpenApi(app);
  return app;
}
