import { TenantsService, type TenantId } from '@ringflow/tenancy';
import { startGateways, type GatewayHarness } from './support/gateway-harness';
import { SignedCall } from './support/signed-call';
import { spoken, verbs } from './support/twiml-reader';

const faulty = {
  schemaVersion: 1,
  name: 'Faulty',
  start: 'menu',
  nodes: {
    menu: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 9.' }], options: [{ key: '9', next: 'broken' }], next: { 'no-input': 'bye', invalid: 'bye' } },
    // Faults at run time: the template passes its memory limit.
    broken: { type: 'say', text: '{% for i in (1..100000000) %}spam{% endfor %}', next: 'bye' },
    bye: { type: 'hangup' },
  },
};

describe("a tenant's own fallback", () => {
  let gw: GatewayHarness;
  beforeAll(async () => {
    gw = await startGateways();
  });
  afterAll(() => gw.close());

  it('a caller whose call cannot go on hears the tenant’s apology and is transferred where the tenant said', async () => {
    const tenant = await gw.tenantWithFlow('Careful Co', '+14155550161', faulty);
    await new TenantsService(gw.db).update(
      tenant.tenantId as TenantId,
      { fallbackMessage: 'Sorry about that, connecting you to our front desk.', fallbackTransferNumber: '+14155550162' },
      'api-key:test',
    );
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    const answer = await call.press('9');
    expect(call.last.status).toBe(200);
    expect(spoken(answer)).toEqual(['Sorry about that, connecting you to our front desk.']);
    expect(verbs(answer)).toEqual(['Say', 'Dial', 'Hangup']);
    expect(answer).toContain('+14155550162');
  });

  it('a tenant that set nothing gets the platform’s apology and a hangup', async () => {
    const tenant = await gw.tenantWithFlow('Plain Co', '+14155550163', faulty);
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    const answer = await call.press('9');
    expect(spoken(answer)).toEqual(['We are sorry, we cannot take your call right now. Please try again later. Goodbye.']);
    expect(verbs(answer)).toEqual(['Say', 'Hangup']);
  });
});
