import { seedFlows } from '@ringflow/flow';
import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { startHttpStub } from './support/http-stub';
import { SignedCall } from './support/signed-call';
import { spoken, verbs } from './support/twiml-reader';

const ada = { customer: { name: 'Ada', tier: 'standard', email: 'ada@example.com', lastOrder: { reference: 'R-1001' } } };

function crmFlow(crmUrl: string) {
  const doc = structuredClone(seedFlows.crmLookup) as { nodes: Record<string, Record<string, unknown>> };
  for (const id of ['lookup_caller', 'lookup_ref']) doc.nodes[id].url = String(doc.nodes[id].url).replace('https://crm.example.com', crmUrl);
  return doc;
}

describe('a CRM lookup call against a tenant API on 127.0.0.1', () => {
  let gw: GatewayHarness;
  let crm: Awaited<ReturnType<typeof startHttpStub>>;
  let tenant: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    crm = await startHttpStub((req) => {
      if (req.url === `/customers?phone=${encodeURIComponent('+15551230001')}`) return { status: 200, json: ada };
      if (req.url === '/customers?reference=1234567') return { status: 200, json: ada };
      return { status: 404, json: { error: 'unknown customer' } };
    });
    tenant = await gw.tenantWithFlow('Shop', '+14155550124', crmFlow(crm.url));
  });
  afterAll(async () => {
    await gw.close();
    await crm.close();
  });

  // The platform has no SMTP settings yet: the email node takes its failed branch and the caller is told so.
  it('greets a known caller by name and tells them honestly that no email could be sent', async () => {
    const call = new SignedCall([gw.url], tenant);
    expect(spoken(await call.start())).toEqual(['Hello Ada.', 'Sorry, we could not send you an email right now. Goodbye.']);
    expect(verbs(call.last.body)).toEqual(['Say', 'Say', 'Hangup']);
    expect(crm.requests.map((r) => r.url)).toContain('/customers?phone=%2B15551230001');

    const session = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(session.body.variables).toMatchObject({ name: 'Ada', tier: 'standard', orderRef: 'R-1001' });
  });

  it('asks an unknown caller for a reference and looks that up instead', async () => {
    const call = new SignedCall([gw.url], tenant, '+15551239999');
    expect(spoken(await call.start())).toEqual(['We could not find you by your number. Please enter your 7 digit customer reference.']);
    expect(spoken(await call.press('12'))).toEqual(['A reference has 7 digits.', 'We could not find you by your number. Please enter your 7 digit customer reference.']);
    expect(spoken(await call.press('1234567'))).toEqual(['Hello Ada.', 'Sorry, we could not send you an email right now. Goodbye.']);
  });
});
