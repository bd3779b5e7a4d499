import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { SignedCall } from './support/signed-call';
import { spoken, verbs } from './support/twiml-reader';

const hello = { schemaVersion: 1, name: 'Hello', start: 'a', nodes: { a: { type: 'say', text: 'Hello.', next: 'z' }, z: { type: 'hangup' } } };

describe('a gateway whose Redis is down', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    gw = await startGateways(1, { REDIS_URL: 'redis://127.0.0.1:1' });
    tenant = await gw.tenantWithFlow('No Redis', '+14155550128', hello);
  });
  afterAll(() => gw.close());

  it("answers a signed call with the tenant's fallback, not an error", async () => {
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    expect(call.last.status).toBe(200);
    expect(spoken(call.last.body)).toEqual(['We are sorry, we cannot take your call right now. Please try again later. Goodbye.']);
    expect(verbs(call.last.body)).toEqual(['Say', 'Hangup']);
  });

  it('reports itself not ready', async () => {
    const ready = await fetch(`${gw.url}/readyz`);
    expect(ready.status).toBe(503);
    const report = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(report.checks.redis.ok).toBe(false);
  });
});
