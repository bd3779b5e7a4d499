import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '@ringflow/observability';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { createGatewayApp } from '../../apps/gateway/src/gateway-app';
import { gatewayConfigSchema } from '../../apps/gateway/src/gateway.config';

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: unknown }> }>;
  security?: Record<string, string[]>[];
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme?: string }> };
}

/** Every `$ref` in the document, so that each can be checked to name a schema the document defines. */
function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsOf(v, out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

describe('the OpenAPI document of the REST API', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = gatewayConfigSchema.parse({
      DATABASE_URL: database.appUrl, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', PORT: '0',
      PUBLIC_BASE_URL: 'https://ivr.ringflow.test', OPERATOR_API_KEY: `op_${randomBytes(24).toString('hex')}`,
      SECRETS_KEY: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent',
    });
    app = await createGatewayApp(config, createLogger('gateway', 'silent'));
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function fetchDocument(): Promise<Document> {
    const response = await fetch(`${url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return JSON.parse(await response.text()) as Document;
  }

  it('is served without an API key, parses, and is OpenAPI 3 with the bearer scheme', async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.components.securitySchemes['api-key']).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const ref of refsOf(doc)) expect(Object.keys(doc.components.schemas)).toContain(ref.replace('#/components/schemas/', ''));
  });

  it('names the calls, session and redemption routes with their responses, each behind the bearer key', async () => {
    const { paths } = await fetchDocument();
    expect(Object.keys(paths).sort()).toEqual(['/api/v1/calls', '/api/v1/calls/{callSid}/session', '/api/v1/redemptions']);
    const session = paths['/api/v1/calls/{callSid}/session'];
    const responses = (op: Operation) => Object.keys(op.responses).sort();
    expect(Object.keys(session).sort()).toEqual(['get', 'patch']);
    expect(responses(paths['/api/v1/calls'].get)).toEqual(['200', '401', '403']);
    expect(responses(session.get)).toEqual(['200', '401', '403', '404']);
    expect(responses(session.patch)).toEqual(['200', '401', '403', '404', '409', '412', '413', '422']);
    expect(responses(paths['/api/v1/redemptions'].post)).toEqual(['200', '401', '403', '404', '409', '410', '422', '429']);

    expect(session.get.responses['200'].headers).toHaveProperty('ETag');
    expect(session.patch.responses['200'].headers).toHaveProperty('ETag');
    expect(session.patch.parameters).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: 'If-Match', in: 'header' }), expect.objectContaining({ name: 'callSid', in: 'path' }),
    ]));
    expect(session.patch.requestBody?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PatchSessionBody' });
    expect(session.get.responses['200'].content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/CallSessionView' });
    expect(paths['/api/v1/redemptions'].post.responses['429'].headers).toHaveProperty('Retry-After');
    expect(paths['/api/v1/redemptions'].post.requestBody?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RedemptionRequestBody' });
    for (const op of [paths['/api/v1/calls'].get, session.get, session.patch, paths['/api/v1/redemptions'].post]) {
      expect(op.security).toEqual([{ 'api-key': [] }]);
      expect(op.operationId).toMatch(/^\w+$/);
    }
  });

  it('leaves out Twilio webhooks, health and metrics, and the merchant pages: they are not client API', async () => {
    const { paths } = await fetchDocument();
    expect(Object.keys(paths).filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
    const response = await fetch(`${url}/api/v1/calls`);
    expect(response.status).toBe(401);
  });
});
