import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { seedFlows } from '@ringflow/flow';
import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { startHttpStub } from './support/http-stub';
import { SignedCall } from './support/signed-call';
import { spoken, verbs } from './support/twiml-reader';

const CARD = '4111111111111111';
const NOT_LUHN = '4111111111111112';

/** The seed card-activation flow, with its activation API pointed at a local stub (allow-listed for the test). */
function cardFlow(apiUrl: string) {
  const doc = structuredClone(seedFlows.cardActivation) as { nodes: Record<string, Record<string, unknown>> };
  doc.nodes.activate.url = `${apiUrl}/cards/activate`;
  return doc;
}

describe('a card activation call through the gateway', () => {
  let gw: GatewayHarness;
  let bank: Awaited<ReturnType<typeof startHttpStub>>;
  let tenant: TestTenant;

  beforeAll(async () => {
    gw = await startGateways(2);
    bank = await startHttpStub(() => ({ status: 200, json: { activated: true } }));
    tenant = await gw.tenantWithFlow('Acme Bank', '+14155550123', cardFlow(bank.url));
  });
  afterAll(async () => {
    await gw.close();
    await bank.close();
  });

  async function activateCard(call: SignedCall) {
    const heard: string[][] = [];
    heard.push(spoken(await call.start()));
    heard.push(spoken(await call.press('1')));
    heard.push(spoken(await call.press(NOT_LUHN)));
    const midCall = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    heard.push(spoken(await call.press(CARD)));
    return { heard, midCall, end: call.last.body };
  }

  it('re-prompts on a card number that fails the Luhn check, activates a good one, and never shows the number', async () => {
    const call = new SignedCall([gw.url], tenant);
    const { heard, midCall, end } = await activateCard(call);
    expect(heard).toEqual([
      ['Welcome to Acme Bank. To activate a card, press 1. To speak to an agent, press 0.'],
      ['Please enter the 16 digits of your card, then press pound.'],
      ['That card number is not valid.', 'Please enter the 16 digits of your card, then press pound.'],
      ['Your card ending in 1111 is now active. Goodbye.'],
    ]);
    expect(verbs(end)).toEqual(['Say', 'Hangup']);
    expect(JSON.parse(bank.requests.at(-1)!.body)).toEqual({ card: CARD, phone: call.from });

    expect(midCall.status).toBe(200);
    expect(midCall.body).toMatchObject({ callSid: call.callSid, status: 'active', awaiting: 'card', path: ['main_menu', 'card'] });
    expect(midCall.text).not.toContain(CARD);
    expect(midCall.text).not.toContain(NOT_LUHN);

    const after = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(after.text).not.toContain(CARD);
    expect(after.body.variables).toEqual({ apiToken: '[redacted]', activated: true });

    expect((await call.status('completed')).status).toBe(204);
    expect(await gw.redis.hget(`rf:{${tenant.tenantId}}:call:${call.callSid}`, 'doc')).not.toContain(CARD);
    // Nor beside it: the last answer's TwiML (field `ans`) and every other field of the session hash.
    expect(JSON.stringify(await gw.redis.hgetall(`rf:{${tenant.tenantId}}:call:${call.callSid}`))).not.toContain(CARD);
    const owner = new Client({ connectionString: gw.database.adminUrl });
    await owner.connect();
    const { rows } = await owner.query('SELECT * FROM call_records WHERE call_sid = $1', [call.callSid]);
    await owner.end();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      tenant_id: tenant.tenantId, from_number: call.from, to_number: tenant.number, direction: 'inbound', outcome: 'completed',
      duration_seconds: 37, node_path: ['main_menu', 'card', 'activate', 'activated_check', 'done', 'end'],
    });
    expect(JSON.stringify(rows[0])).not.toContain(CARD);
    expect(gw.logs.some((line) => line.includes(call.callSid))).toBe(true);
    expect(gw.logs.join('\n')).not.toContain(CARD);
    expect(gw.logs.join('\n')).not.toContain(NOT_LUHN);
  });

  it('gives the same result when two gateway instances serve alternating steps of the call', async () => {
    const single = await activateCard(new SignedCall([gw.url], tenant));
    const alternating = await activateCard(new SignedCall(gw.urls, tenant));
    expect(gw.urls).toHaveLength(2);
    expect(alternating.heard).toEqual(single.heard);
    expect(alternating.midCall.body.path).toEqual(single.midCall.body.path);
    expect(spoken(alternating.end)).toEqual(['Your card ending in 1111 is now active. Goodbye.']);
  });

  it('costs no Postgres query per step once the call has started', async () => {
    await activateCard(new SignedCall([gw.url], tenant));
    const dataSource = gw.apps[0].get(DataSource);
    const queries = jest.spyOn(dataSource, 'createQueryRunner');
    try {
      const call = new SignedCall([gw.url], tenant);
      await call.start();
      const firstWebhook = queries.mock.calls.length;
      expect(firstWebhook).toBeGreaterThan(0);
      await call.press('1');
      await call.press(CARD);
      expect(spoken(call.last.body)).toEqual(['Your card ending in 1111 is now active. Goodbye.']);
      expect(queries.mock.calls.length).toBe(firstWebhook);
    } finally {
      queries.mockRestore();
    }
  });
});
