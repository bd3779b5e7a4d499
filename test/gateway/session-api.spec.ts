import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { SignedCall } from './support/signed-call';
import { spoken, verbs } from './support/twiml-reader';

/** Holds the caller until the CRM says whether they are premium, then routes by it. */
const premiumRouting = {
  schemaVersion: 1,
  name: 'Premium routing',
  start: 'hold',
  nodes: {
    hold: {
      type: 'wait', variable: 'premium', pollSeconds: 1, timeoutSeconds: 60,
      prompts: [{ kind: 'say', text: 'One moment please.' }],
      next: { set: 'route', timeout: 'standard' },
    },
    route: {
      type: 'condition',
      cases: [{ rules: [{ value: '{{ vars.premium }}', op: 'equals', operand: 'true' }], next: 'premium' }],
      next: { else: 'standard' },
    },
    premium: { type: 'say', text: 'Welcome back, {{ vars.name }}. Connecting you to your premium line.', next: 'end' },
    standard: { type: 'say', text: 'Thank you for calling.', next: 'end' },
    end: { type: 'hangup' },
  },
};

describe('the live-call session API', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;
  let other: TestTenant;
  let slowPoll: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    tenant = await gw.tenantWithFlow('Premium Co', '+14155550125', premiumRouting);
    other = await gw.tenantWithFlow('Other Co', '+14155550126', premiumRouting);
    const holdLong = structuredClone(premiumRouting) as { nodes: { hold: { pollSeconds: number } } };
    holdLong.nodes.hold.pollSeconds = 8;
    slowPoll = await gw.tenantWithFlow('Slow Poll Co', '+14155550129', holdLong);
  });
  afterAll(() => gw.close());

  it('routes a caller by vars.premium that an outside system PATCHes mid-call, honouring If-Match', async () => {
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    expect(spoken(call.last.body)).toEqual(['One moment please.']);
    // The pause is spent holding the redirect at the gateway (see the next test).
    expect(verbs(call.last.body)).toEqual(['Say', 'Redirect']);

    const listed = await gw.api(gw.url, tenant.analystKey, 'GET', '/api/v1/calls');
    expect(listed.status).toBe(200);
    expect(listed.body.calls).toEqual([expect.objectContaining({ callSid: call.callSid, caller: call.from, called: tenant.number, awaiting: 'hold' })]);

    const before = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(before.body).toMatchObject({ status: 'active', awaiting: 'hold', variables: {} });
    expect(before.etag).toBe(`"${before.body.version}"`);

    const stale = await gw.api(gw.url, tenant.adminKey, 'PATCH', `/api/v1/calls/${call.callSid}/session`, { variables: { premium: true } }, { 'if-match': '"999"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ code: 'precondition-failed', field: 'If-Match' });

    const patched = await gw.api(gw.url, tenant.adminKey, 'PATCH', `/api/v1/calls/${call.callSid}/session`, { variables: { premium: true, name: 'Grace' } }, { 'if-match': before.etag! });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ variables: { premium: true, name: 'Grace' }, pendingVariables: ['premium', 'name'] });
    expect(patched.etag).not.toBe(before.etag);

    expect(spoken(await call.press())).toEqual(['Welcome back, Grace. Connecting you to your premium line.']);
    const after = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(after.body).toMatchObject({ variables: { premium: true, name: 'Grace' }, pendingVariables: [], path: ['hold', 'route', 'premium', 'end'] });

    await call.status('completed');
    expect((await gw.api(gw.url, tenant.analystKey, 'GET', '/api/v1/calls')).body.calls).toEqual([]);
    const late = await gw.api(gw.url, tenant.adminKey, 'PATCH', `/api/v1/calls/${call.callSid}/session`, { variables: { premium: false } });
    expect(late.status).toBe(409);
  });

  it("keeps a caller on hold until then, and routes them as standard when the CRM says so", async () => {
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    expect(spoken(await call.press())).toEqual(['One moment please.']);
    await gw.api(gw.url, tenant.adminKey, 'PATCH', `/api/v1/calls/${call.callSid}/session`, { variables: { premium: false } });
    expect(spoken(await call.press())).toEqual(['Thank you for calling.']);
  });

  it('moves a held caller on within a second of the PATCH, and otherwise holds for the poll interval', async () => {
    const call = new SignedCall([gw.url], slowPoll);
    await call.start();
    const held = call.press();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const patchedAt = Date.now();
    const patch = await gw.api(gw.url, slowPoll.adminKey, 'PATCH', `/api/v1/calls/${call.callSid}/session`, { variables: { premium: true, name: 'Lin' } });
    expect(patch.status).toBe(200);
    expect(spoken(await held)).toEqual(['Welcome back, Lin. Connecting you to your premium line.']);
    expect(Date.now() - patchedAt).toBeLessThan(1000);

    const waiting = new SignedCall([gw.url], tenant);
    await waiting.start();
    const started = Date.now();
    expect(spoken(await waiting.press())).toEqual(['One moment please.']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it("runs an outbound call's answer URL on the calling number's flow, with the person called as the caller", async () => {
    const call = new SignedCall([gw.url], tenant, '+15557654321', true);
    expect(spoken(await call.start())).toEqual(['One moment please.']);
    const session = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(session.body).toMatchObject({ direction: 'outbound', caller: '+15557654321', called: tenant.number });
    await call.status('completed');
    const ended = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(ended.body).toMatchObject({ status: 'ended', endedAt: expect.any(String) });
  });

  it("answers 404 for another tenant's call, read or write, and leaves it untouched", async () => {
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    const read = await gw.api(gw.url, other.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('not-found');
    const write = await gw.api(gw.url, other.adminKey, 'PATCH', `/api/v1/calls/${call.callSid}/session`, { variables: { premium: true } });
    expect(write.status).toBe(404);
    expect((await gw.api(gw.url, other.adminKey, 'GET', '/api/v1/calls')).body.calls).toEqual([]);
    const own = await gw.api(gw.url, tenant.adminKey, 'GET', `/api/v1/calls/${call.callSid}/session`);
    expect(own.body.variables).toEqual({});
  });

  it('requires a key, lets an analyst read but not write, makes the operator name the tenant, and says what is wrong with a bad body', async () => {
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    const path = `/api/v1/calls/${call.callSid}/session`;
    expect((await fetch(`${gw.url}${path}`)).status).toBe(401);
    expect((await gw.api(gw.url, tenant.analystKey, 'GET', path)).status).toBe(200);
    expect((await gw.api(gw.url, tenant.analystKey, 'PATCH', path, { variables: { premium: true } })).status).toBe(403);
    const bad = await gw.api(gw.url, tenant.adminKey, 'PATCH', path, { variables: { 'not a name': 1 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toEqual({ code: 'invalid-input', message: expect.any(String), field: 'variables.not a name' });
    const shapeless = await gw.api(gw.url, tenant.adminKey, 'PATCH', path, { premium: true });
    expect(shapeless.status).toBe(422);
    const operator = gw.config.OPERATOR_API_KEY;
    expect((await gw.api(gw.url, operator, 'GET', path)).body.error).toMatchObject({ code: 'invalid-input', field: 'tenantId' });
    expect((await gw.api(gw.url, operator, 'GET', `${path}?tenantId=${tenant.tenantId}`)).body.callSid).toBe(call.callSid);
    expect((await gw.api(gw.url, operator, 'GET', `${path}?tenantId=${other.tenantId}`)).status).toBe(404);
    expect((await gw.api(gw.url, tenant.adminKey, 'GET', `${path}?tenantId=${other.tenantId}`)).status).toBe(404);
  });
});
