import { Controller, Get, HttpCode, Module, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ClsModule, ClsService } from 'nestjs-cls';
import { createHttpApp, createLogger, ObservabilityModule } from '@ringflow/observability';

@Controller()
class ProbeController {
  constructor(private readonly cls: ClsService) {}

  @Get('context')
  async context(): Promise<{ requestId: unknown }> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { requestId: this.cls.get('requestId') };
  }

  @Get('whoami')
  whoami(@Req() req: FastifyRequest): { ip: string } {
    return { ip: req.ip };
  }

  @Get('twilio/voice/probe')
  step(): string {
    return '<Response/>';
  }

  @Get('twilio/voice/refused')
  @HttpCode(403)
  refused(): string {
    return 'Forbidden';
  }
}

@Module({
  imports: [ClsModule.forRoot({ global: true }), ObservabilityModule.forRoot({ app: 'probe', http: false, readiness: { useFactory: () => [] } })],
  controllers: [ProbeController],
})
class ProbeModule {}

async function start(options: Parameters<typeof createHttpApp>[2], lines: string[] = []): Promise<{ url: string; app: NestFastifyApplication }> {
  const app = await createHttpApp(ProbeModule, createLogger('probe', 'info', { write: (line: string) => void lines.push(line) }), options);
  await app.listen(0, '127.0.0.1');
  return { url: await app.getUrl(), app };
}

const whoami = async (url: string, headers: Record<string, string> = {}) => ((await (await fetch(`${url}/whoami`, { headers })).json()) as { ip: string }).ip;

describe('createHttpApp', () => {
  const apps: NestFastifyApplication[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('ignores a spoofed X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    for (const trustedProxies of [['10.0.0.5', '192.168.0.0/16'], []]) {
      const { url, app } = await start({ trustedProxies });
      apps.push(app);
      expect(await whoami(url, { 'x-forwarded-for': '203.0.113.77' })).toBe('127.0.0.1');
      expect(await whoami(url)).toBe('127.0.0.1');
    }
  });

  it('believes X-Forwarded-For from a trusted proxy (by default, one on loopback), up to the first address it does not trust', async () => {
    const byDefault = await start({});
    apps.push(byDefault.app);
    expect(await whoami(byDefault.url, { 'x-forwarded-for': '203.0.113.77' })).toBe('203.0.113.77');
    const chain = await start({ trustedProxies: ['127.0.0.1', '10.0.0.0/8'] });
    apps.push(chain.app);
    // The client forged the first entry; the load balancer (10.1.2.3) appended the address it saw (198.51.100.4).
    expect(await whoami(chain.url, { 'x-forwarded-for': '203.0.113.77, 198.51.100.4, 10.1.2.3' })).toBe('198.51.100.4');
  });

  it('logs successful answers of quiet routes at debug only, and refusals and other routes at info', async () => {
    const lines: string[] = [];
    const { url, app } = await start({ quietRoutePrefixes: ['/twilio/'] }, lines);
    apps.push(app);
    expect((await fetch(`${url}/twilio/voice/probe`)).status).toBe(200);
    expect((await fetch(`${url}/twilio/voice/refused`)).status).toBe(403);
    expect((await fetch(`${url}/whoami`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');
    expect(requests.map((line) => [line.level, line.route, line.status])).toEqual([
      ['info', '/twilio/voice/refused', 403],
      ['info', '/whoami', 200],
    ]);
  });

  it("opens each request's async context with its request id, which the request line also carries", async () => {
    const lines: string[] = [];
    const { url, app } = await start({}, lines);
    apps.push(app);
    const answers = await Promise.all(['req-one', 'req-two'].map(async (id) => (await (await fetch(`${url}/context`, { headers: { 'x-request-id': id } })).json()) as { requestId: unknown }));
    expect(answers).toEqual([{ requestId: 'req-one' }, { requestId: 'req-two' }]);
    const generated = (await (await fetch(`${url}/context`)).json()) as { requestId: string };
    expect(generated.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requestIds = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request').map((line) => line.requestId);
    expect(requestIds).toEqual(expect.arrayContaining(['req-one', 'req-two', generated.requestId]));
  });
});
