import { TenantsService, type TenantId } from '@ringflow/tenancy';
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Redis taken away from one gateway while calls are live (a relay in front of the shared Redis is cut; Redis itself keeps running). */
describe('Redis lost by the gateway in the middle of live calls', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;
  const cutter = new TcpCutter('127.0.0.1', Number(new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').port || 6379));

  beforeAll(async () => {
    const port = await cutter.start();
    gw = await startGateways(1, { REDIS_URL: `redis://127.0.0.1:${port}` });
    tenant = await gw.tenantWithFlow('Redis Cut', '+14155550193', menu);
    await new TenantsService(gw.db).update(tenant.tenantId as TenantId, { fallbackMessage: 'Redis Cut apologises; please call back.' }, 'operator');
  });
  afterAll(async () => {
    cutter.restore();
    await gw.close();
    await cutter.close();
  });

  it("callers mid-call hear the tenant's fallback (200), /readyz says Redis is down, and calls run again once Redis is back", async () => {
    const live = [new SignedCall([gw.url], tenant, '+15558880001'), new SignedCall([gw.url], tenant, '+15558880002')];
    for (const call of live) expect(spoken(await call.start())).toEqual(['Press 1.']);

    cutter.cut();
    for (const call of live) {
      const started = Date.now();
      const answer = await call.press('1');
      expect(call.last.status).toBe(200);
      expect(spoken(answer)).toEqual(['Redis Cut apologises; please call back.']);
      expect(verbs(answer)).toEqual(['Say', 'Hangup']);
      // ioredis gives up on a command after its retries; the caller must not wait on Twilio's 15 s timeout.
      expect(Date.now() - started).toBeLessThan(10_000);
    }
    // While ioredis reconnects the ping waits in its offline queue: the probe still gets its 503 inside a probe's deadline.
    const asked = Date.now();
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { redis: { ok: false } } });
    expect(Date.now() - asked).toBeLessThan(1500);

    cutter.restore();
    let readyAgainMs = -1;
    const restored = Date.now();
    for (let i = 0; i < 100 && readyAgainMs < 0; i++) {
      if ((await fetch(`${gw.url}/readyz`)).status === 200) readyAgainMs = Date.now() - restored;
      else await sleep(100);
    }
    expect(readyAgainMs).toBeGreaterThanOrEqual(0);
    const fresh = new SignedCall([gw.url], tenant, '+15558880003');
    expect(spoken(await fresh.start())).toEqual(['Press 1.']);
    expect(spoken(await fresh.press('1'))).toEqual(['Thank you.', 'Press 1.']);
  });
});
