import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startSimulator, type Simulator } from '../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { postSigned, SignedCall } from './support/signed-call';
import { spoken, verbs } from './support/twiml-reader';

const smsOnKey = {
  schemaVersion: 1,
  name: 'Coupon by SMS',
  start: 'offer',
  nodes: {
    offer: {
      type: 'menu', prompts: [{ kind: 'say', text: 'Press 1 to get your coupon by text message.' }],
      options: [{ key: '1', next: 'send' }, { key: '9', next: 'broken' }], next: { 'no-input': 'bye', invalid: 'bye' },
    },
    send: { type: 'sms', body: 'Your coupon is on its way.', next: { sent: 'sent', failed: 'bye' } },
    sent: { type: 'say', text: 'We have sent you a text message.', next: 'bye' },
    bye: { type: 'hangup', prompts: [{ kind: 'say', text: 'Goodbye.' }] },
    // Faults at run time: the template passes its memory limit.
    broken: { type: 'say', text: '{% for i in (1..100000000) %}spam{% endfor %}', next: 'bye' },
  },
};

describe('what the gateway does with bad, repeated and failing webhooks', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;
  let sim: Simulator;
  const previousApiBase = process.env.TWILIO_API_BASE_URL;

  beforeAll(async () => {
    // The sms node sends through the tenant's Twilio account: here the simulator's.
    sim = await startSimulator({ port: 0 });
    process.env.TWILIO_API_BASE_URL = sim.url;
    gw = await startGateways();
    tenant = await gw.tenantWithFlow('Coupons', '+14155550127', smsOnKey);
    const simClient = new SimTestClient(sim);
    await simClient.account({ sid: tenant.accountSid, token: tenant.authToken, mps: 50 });
    await simClient.number(tenant.accountSid, tenant.number);
  });
  afterAll(async () => {
    await gw.close();
    await sim.close();
    if (previousApiBase === undefined) delete process.env.TWILIO_API_BASE_URL;
    else process.env.TWILIO_API_BASE_URL = previousApiBase;
  });

  const textsTo = async (number: string) => (await (await fetch(`${sim.url}/sim/messages?to=${encodeURIComponent(number)}`)).json()) as Array<{ from: string; body: string }>;
  const sessionExists = async (callSid: string) => (await gw.redis.exists(`rf:{${tenant.tenantId}}:call:${callSid}`)) === 1;

  it('refuses a forged or missing signature with 403 and runs nothing', async () => {
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    const params = { CallSid: callSid, AccountSid: tenant.accountSid, From: '+15551230001', To: tenant.number, Direction: 'inbound' };
    const forged = await postSigned(gw.url, 'f'.repeat(32), '/twilio/voice', params);
    expect(forged.status).toBe(403);
    const unsigned = await postSigned(gw.url, tenant.authToken, '/twilio/voice', params, '');
    expect(unsigned.status).toBe(403);
    expect(await sessionExists(callSid)).toBe(false);

    const call = new SignedCall([gw.url], tenant);
    await call.start();
    const tampered = await postSigned(gw.url, tenant.authToken, call.nextPath(), { ...params, CallSid: call.callSid, Digits: '1' }, 'bm90IGEgc2lnbmF0dXJl');
    expect(tampered.status).toBe(403);
    expect(spoken(await call.press('1'))).toEqual(['We have sent you a text message.', 'Goodbye.']);
  });

  it('rejects a call to a number no tenant owns', async () => {
    const answer = await postSigned(gw.url, tenant.authToken, '/twilio/voice', { CallSid: `CA${randomBytes(16).toString('hex')}`, From: '+15551230001', To: '+14155559999' });
    expect(answer.status).toBe(200);
    expect(verbs(answer.body)).toEqual(['Reject']);
  });

  it('answers 413 to an oversized body before anything runs', async () => {
    const response = await fetch(`${gw.url}/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      body: `CallSid=CA${'0'.repeat(32)}&Junk=${'a'.repeat(200 * 1024)}`,
    });
    expect(response.status).toBe(413);
  });

  it('replays the same TwiML to a repeated webhook and sends the SMS once', async () => {
    const call = new SignedCall([gw.url], tenant, '+15551230077');
    const first = await call.start();
    expect(await call.start()).toBe(first);
    const path = call.nextPath();
    const params = { CallSid: call.callSid, AccountSid: tenant.accountSid, From: call.from, To: tenant.number, Direction: 'inbound', Digits: '1' };
    const answers = await Promise.all([1, 2, 3].map(() => postSigned(gw.url, tenant.authToken, path, params)));
    const again = await postSigned(gw.url, tenant.authToken, path, params);
    expect(new Set([...answers, again].map((a) => a.body)).size).toBe(1);
    expect(spoken(again.body)).toEqual(['We have sent you a text message.', 'Goodbye.']);
    expect(await textsTo(call.from)).toEqual([expect.objectContaining({ from: tenant.number, body: 'Your coupon is on its way.' })]);
  });

  it("answers the tenant's fallback when the flow faults or the call's session is gone, never a 500", async () => {
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    expect(spoken(await call.press('9'))).toEqual(['We are sorry, we cannot take your call right now. Please try again later. Goodbye.']);
    expect(verbs(call.last.body)).toEqual(['Say', 'Hangup']);

    const lost = new SignedCall([gw.url], tenant);
    await lost.start();
    await gw.redis.del(`rf:{${tenant.tenantId}}:call:${lost.callSid}`);
    await lost.press('1');
    expect(lost.last.status).toBe(200);
    expect(spoken(lost.last.body)).toEqual(['We are sorry, we cannot take your call right now. Please try again later. Goodbye.']);
  });

  it('writes the call record once for repeated and out-of-order status callbacks, and drops the call from the active list', async () => {
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    await call.press('1');
    expect((await call.status('in-progress')).status).toBe(204);
    expect((await call.status('completed', '12')).status).toBe(204);
    expect((await call.status('completed', '99')).status).toBe(204);
    expect((await call.status('ringing')).status).toBe(204);
    const owner = new Client({ connectionString: gw.database.adminUrl });
    await owner.connect();
    const { rows } = await owner.query('SELECT outcome, duration_seconds, node_path FROM call_records WHERE call_sid = $1', [call.callSid]);
    await owner.end();
    expect(rows).toEqual([{ outcome: 'completed', duration_seconds: 12, node_path: ['offer', 'send', 'sent', 'bye'] }]);
    const active = await gw.api(gw.url, tenant.adminKey, 'GET', '/api/v1/calls');
    expect(active.body.calls.map((c: { callSid: string }) => c.callSid)).not.toContain(call.callSid);
    const forged = await postSigned(gw.url, 'f'.repeat(32), '/twilio/voice/status', { CallSid: call.callSid, To: tenant.number, CallStatus: 'completed' });
    expect(forged.status).toBe(403);
  });

  it('counts the answers by kind on /metrics, without a tenant label', async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const count = (answer: string) => Number(new RegExp(`ringflow_voice_answers_total\\{[^}]*answer="${answer}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
    expect(count('step')).toBeGreaterThan(5);
    expect(count('rejected')).toBe(1);
    expect(count('no-session')).toBe(1);
    expect(count('forbidden')).toBeGreaterThanOrEqual(3);
    expect(count('replayed')).toBeGreaterThanOrEqual(3);
    expect(count('flow-fault')).toBe(1);
    expect(text).not.toContain(tenant.tenantId);
  });
});
