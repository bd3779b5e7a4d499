import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createLogger } from '@ringflow/observability';
import { TenantsService, type TenantId } from '@ringflow/tenancy';
import { gatewayBodyLimit, gatewayConfigSchema } from '../../apps/gateway/src/gateway.config';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { startGateways, type GatewayHarness, type TestTenant } from '../gateway/support/gateway-harness';
import { SignedCall } from '../gateway/support/signed-call';
import { spoken, verbs } from '../gateway/support/twiml-reader';
import { TcpCutter } from './support/tcp-cutter';

const menu = {
  schemaVersion: 1, name: 'Menu', start: 'menu',
  nodes: {
    menu: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 1.' }], options: [{ key: '1', next: 'thanks' }], next: { 'no-input': 'menu', invalid: 'menu' } },
    thanks: { type: 'say', text: 'Thank you.', next: 'menu' },
  },
};

/** Postgres taken away from one gateway (a relay in front of it is cut; the shared cluster keeps running). */
describe('Postgres lost by the gateway while calls come in', () => {
  let harness: GatewayHarness;
  let tenant: TestTenant;
  let app: NestFastifyApplication;
  let url: string;
  let cutter: TcpCutter;

  beforeAll(async () => {
    harness = await startGateways();
    tenant = await harness.tenantWithFlow('Careful Clinic', '+14155550194', menu);
    await new TenantsService(harness.db).update(tenant.tenantId as TenantId, { fallbackMessage: 'Careful Clinic is sorry; please call back.' }, 'operator');
    const direct = new URL(harness.database.appUrl);
    cutter = new TcpCutter(direct.hostname, Number(direct.port || 5432));
    const relayed = new URL(harness.database.appUrl);
    relayed.host = `127.0.0.1:${await cutter.start()}`;
    const config = gatewayConfigSchema.parse({ ...harness.config, PORT: '0', DATABASE_URL: relayed.toString(), HTTP_EGRESS_ALLOW_CIDRS: '127.0.0.0/8' });
    app = await createHttpApp(GatewayModule.forRoot(config), createLogger('gateway', 'silent'), { bodyLimit: gatewayBodyLimit });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(async () => {
    cutter.restore();
    await app.close();
    await harness.close();
    await cutter.close();
  });

  it("a new caller hears the tenant's own fallback (200), a live call goes on, and new calls run again once Postgres is back", async () => {
    const live = new SignedCall([url], tenant, '+15559990001');
    expect(spoken(await live.start())).toEqual(['Press 1.']);

    cutter.cut();
    const fresh = new SignedCall([url], tenant, '+15559990002');
    const answer = await fresh.start();
    expect(fresh.last.status).toBe(200);
    expect(spoken(answer)).toEqual(['Careful Clinic is sorry; please call back.']);
    expect(verbs(answer)).toEqual(['Say', 'Hangup']);
    // A call already in progress needs no Postgres: its flow version and settings are cached.
    expect(spoken(await live.press('1'))).toEqual(['Thank you.', 'Press 1.']);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);

    cutter.restore();
    const again = new SignedCall([url], tenant, '+15559990003');
    expect(spoken(await again.start())).toEqual(['Press 1.']);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
