import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { startHttpStub } from './support/http-stub';
import { SignedCall } from './support/signed-call';
import { spoken } from './support/twiml-reader';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an outside write that lands while a step is running', () => {
  let gw: GatewayHarness;
  let slowCrm: Awaited<ReturnType<typeof startHttpStub>>;
  let tenant: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    slowCrm = await startHttpStub(() => ({ status: 200, json: { name: 'Noor' } }), 400);
    const flow = {
      schemaVersion: 1, name: 'Slow lookup', start: 'lookup',
      nodes: {
        lookup: { type: 'http', method: 'GET', url: `${slowCrm.url}/slow`, extract: { name: '$.name' }, next: { success: 'hello', failure: 'hello', timeout: 'hello' } },
        hello: { type: 'say', text: 'Hello {{ vars.name }}.', next: 'hold' },
        hold: { type: 'wait', variable: 'ticket', pollSeconds: 1, next: { set: 'ticket', timeout: 'bye' } },
        ticket: { type: 'say', text: 'Your ticket is {{ vars.ticket }}.', next: 'bye' },
        bye: { type: 'hangup' },
      },
    };
    tenant = await gw.tenantWithFlow('Slow CRM', '+14155550132', flow);
  });
  afterAll(async () => {
    await gw.close();
    await slowCrm.close();
  });

  it('is kept for the next step, not overwritten by the step saving its session', async () => {
    const call = new SignedCall([gw.url], tenant);
    const firstStep = call.start();
    while (slowCrm.requests.length === 0) await sleep(10);
    const patch = await gw.api(gw.url, tenant.adminKey, 'PATCH', `/api/v1/calls/${call.callSid}/session`, { variables: { ticket: 'T-42' } });
    expect(patch.status).toBe(200);
    expect(spoken(await firstStep)).toEqual(['Hello Noor.']);
    expect(spoken(await call.press())).toEqual(['Your ticket is T-42.']);
  });
});
