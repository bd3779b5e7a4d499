import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * The OpenAPI 3 document of the gateway's REST API (`/api/v1/...`), generated from the controllers' decorators.
 * Twilio's webhooks, health and metrics routes and the merchant's HTML pages are not client API: left out.
 */
export function gatewayOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Ringflow gateway API')
    .setDescription(
      'Live calls for a tenant\'s CRM (an admin key writes, an analyst key reads) and coupon redemption for points of sale (a merchant key). ' +
        'Errors are `{"error": {code, message, field}}`. The operator key may name a tenant with `?tenantId=`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key of the tenant (admin, analyst or merchant role), or the operator key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.paths = Object.fromEntries(Object.entries(document.paths).filter(([path]) => path.startsWith('/api/v1/')));
  return document;
}

/** Serves the document, public, at GET /api/v1/openapi.json (made once: the routes do not change while running). */
export function serveOpenApi(app: NestFastifyApplication): void {
  const body = JSON.stringify(gatewayOpenApiDocument(app));
  app.getHttpAdapter().getInstance().get(OPENAPI_PATH, (_request, reply) => {
    void reply.header('content-type', 'application/json; charset=utf-8').header('cache-control', 'public, max-age=300').send(body);
  });
}
