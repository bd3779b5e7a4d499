import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import twilio from 'twilio';
import { startSimulator, type Simulator } from '../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import { PUBLIC_BASE_URL, startGateways, type GatewayHarness, type TestTenant } from '../gateway/support/gateway-harness';
import { postSigned, SignedCall } from '../gateway/support/signed-call';
import { spoken, verbs } from '../gateway/support/twiml-reader';

const smsOnKey = {
  schemaVersion: 1, name: 'Coupon by SMS', start: 'offer',
  nodes: {
    offer: {
      type: 'menu', prompts: [{ kind: 'say', text: 'Press 1 for a text.' }],
      options: [{ key: '1', next: 'send' }], next: { 'no-input': 'bye', invalid: 'bye' },
    },
    send: { type: 'sms', body: 'Your coupon is on its way.', next: { sent: 'sent', failed: 'bye' } },
    sent: { type: 'say', text: 'Sent.', next: 'bye' },
    bye: { type: 'hangup', prompts: [{ kind: 'say', text: 'Goodbye.' }] },
  },
};

/** Posts a raw body with a signature computed over `signedParams` (what an attacker holding a valid signature would do). */
async function postRaw(gatewayUrl: string, path: string, body: string, signature: string, contentType = 'application/x-www-form-urlencoded') {
  const response = await fetch(`${gatewayUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType, 'x-twilio-signature': signature }, body });
  return { status: response.status, body: await response.text() };
}

const sign = (token: string, path: string, params: Record<string, string>) => twilio.getExpectedTwilioSignature(token, `${PUBLIC_BASE_URL}${path}`, params);

describe('webhook attacks and fuzzed webhook parameters', () => {
  let gw: GatewayHarness;
  let sim: Simulator;
  let a: TestTenant;
  let b: TestTenant;
  const previousApiBase = process.env.TWILIO_API_BASE_URL;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    process.env.TWILIO_API_BASE_URL = sim.url;
    gw = await startGateways();
    a = await gw.tenantWithFlow('Tenant A', '+14155550191', smsOnKey);
    b = await gw.tenantWithFlow('Tenant B', '+14155550192', smsOnKey);
    const simClient = new SimTestClient(sim);
    for (const t of [a, b]) {
      await simClient.account({ sid: t.accountSid, token: t.authToken, mps: 100 });
      await simClient.number(t.accountSid, t.number);
    }
  });
  afterAll(async () => {
    await gw.close();
    await sim.close();
    if (previousApiBase === undefined) delete process.env.TWILIO_API_BASE_URL;
    else process.env.TWILIO_API_BASE_URL = previousApiBase;
  });

  const textsTo = async (number: string) => (await (await fetch(`${sim.url}/sim/messages?to=${encodeURIComponent(number)}`)).json()) as unknown[];
  const sessionOf = async (t: TestTenant, callSid: string) => gw.redis.hget(`rf:{${t.tenantId}}:call:${callSid}`, 'doc');

  it('parameter pollution: a second value for a signed field changes nothing; a different first value is refused', async () => {
    const call = new SignedCall([gw.url], a, '+15557770001');
    await call.start();
    const path = call.nextPath();
    const params = { CallSid: call.callSid, AccountSid: a.accountSid, From: call.from, To: a.number, Direction: 'inbound', Digits: '2' };
    const signature = sign(a.authToken, path, params);
    const prepended = await postRaw(gw.url, path, `Digits=1&${new URLSearchParams(params).toString()}`, signature);
    expect(prepended.status).toBe(403);
    const appended = await postRaw(gw.url, path, `${new URLSearchParams(params).toString()}&Digits=1&CallSid=CA${'0'.repeat(32)}`, signature);
    expect(appended.status).toBe(200);
    // The signed value (2, an invalid key) is what ran: the menu asks again and no text is sent.
    expect(spoken(appended.body)).toEqual(['Press 1 for a text.']);
    expect(await textsTo(call.from)).toEqual([]);
  });

  it("a signature made with another tenant's token is refused on this tenant's number and step URLs, and nothing of the call changes", async () => {
    const call = new SignedCall([gw.url], a, '+15557770002');
    await call.start();
    const before = await sessionOf(a, call.callSid);
    const path = call.nextPath();
    const params = { CallSid: call.callSid, AccountSid: b.accountSid, From: call.from, To: a.number, Direction: 'inbound', Digits: '1' };
    expect((await postSigned(gw.url, b.authToken, path, params)).status).toBe(403);
    expect((await postSigned(gw.url, b.authToken, '/twilio/voice', { ...params, CallSid: `CA${randomBytes(16).toString('hex')}` })).status).toBe(403);
    expect((await postSigned(gw.url, b.authToken, '/twilio/voice/status', { ...params, CallStatus: 'completed' })).status).toBe(403);
    // B's own step URL shape with A's call: B's tenant id in the path finds no session of A's call.
    const asB = path.replace(a.tenantId, b.tenantId);
    const crossed = await postSigned(gw.url, b.authToken, asB, params);
    expect(crossed.status).toBe(200);
    expect(verbs(crossed.body)).toEqual(['Say', 'Hangup']);
    expect(await sessionOf(a, call.callSid)).toBe(before);
    expect(await textsTo(call.from)).toEqual([]);
    const active = await gw.api(gw.url, a.adminKey, 'GET', '/api/v1/calls');
    expect(active.body.calls.map((c: { callSid: string }) => c.callSid)).toContain(call.callSid);
  });

  it('a signed step for a call that has ended runs nothing: no text is sent after the hangup', async () => {
    const call = new SignedCall([gw.url], a, '+15557770003');
    await call.start();
    const path = call.nextPath();
    expect((await call.status('completed', '4')).status).toBe(204);
    const late = await postSigned(gw.url, a.authToken, path, { CallSid: call.callSid, AccountSid: a.accountSid, From: call.from, To: a.number, Direction: 'inbound', Digits: '1' });
    expect(late.status).toBe(200);
    expect(verbs(late.body)).toEqual(['Hangup']);
    expect(await textsTo(call.from)).toEqual([]);
  });

  it("a replayed first webhook of a finished call, after its session expired, does not start the flow again", async () => {
    const call = new SignedCall([gw.url], a, '+15557770004');
    const first = await call.start();
    expect(spoken(first)).toEqual(['Press 1 for a text.']);
    await call.press('1');
    expect(await textsTo(call.from)).toHaveLength(1);
    expect((await call.status('completed', '9')).status).toBe(204);
    await gw.redis.del(`rf:{${a.tenantId}}:call:${call.callSid}`);
    const replay = await call.start();
    expect(call.last.status).toBe(200);
    expect(verbs(replay)).toEqual(['Hangup']);
    const active = await gw.api(gw.url, a.adminKey, 'GET', '/api/v1/calls');
    expect(active.body.calls.map((c: { callSid: string }) => c.callSid)).not.toContain(call.callSid);
  });

  it('malformed, mistyped and odd bodies get a 4xx, never a 500', async () => {
    const bodies: [string, string][] = [
      ['%', 'application/x-www-form-urlencoded'],
      ['CallSid=%ZZ&To=%E0%A4%A', 'application/x-www-form-urlencoded'],
      ['=&&==&To', 'application/x-www-form-urlencoded'],
      [`${'a=1&'.repeat(10_000)}To=${encodeURIComponent(a.number)}`, 'application/x-www-form-urlencoded'],
      [JSON.stringify({ CallSid: `CA${'1'.repeat(32)}`, To: a.number }), 'application/json'],
      ['{"To": ', 'application/json'],
      ['To=+14155550191', 'text/plain'],
      ['--x\r\nContent-Disposition: form-data; name="To"\r\n\r\n+14155550191\r\n--x--', 'multipart/form-data; boundary=x'],
      ['\u0000\u0001\uffff', 'application/x-www-form-urlencoded; charset=utf-16'],
      ['', 'application/x-www-form-urlencoded'],
    ];
    for (const path of ['/twilio/voice', '/twilio/voice/status', '/twilio/sms', '/twilio/sms/status', `/twilio/voice/step/${a.tenantId}/CA${'1'.repeat(32)}?node=offer&s=1`]) {
      for (const [body, type] of bodies) {
        const answer = await postRaw(gw.url, path, body, 'x', type);
        expect({ path, type, body: body.slice(0, 30), status: answer.status < 500 }).toEqual({ path, type, body: body.slice(0, 30), status: true });
      }
    }
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });

  const callSid = fc.oneof(fc.constant(''), fc.string({ maxLength: 40 }), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }).map((h) => `CA${h}`));
  const phone = fc.oneof(fc.constantFrom('+14155550191', '+14155550192', '+15551112222', '', '+', '0'), fc.string({ maxLength: 20 }));
  const anyValue = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('completed', 'ringing', 'outbound-api', 'inbound', '1', '#', '999999999999999999999'));
  const params = fc.record(
    {
      CallSid: callSid, MessageSid: fc.string({ maxLength: 40 }), AccountSid: fc.constantFrom('', 'ACx'), From: phone, To: phone,
      Direction: fc.constantFrom('inbound', 'outbound-api', 'outbound-dial', 'x'), Digits: anyValue, CallStatus: anyValue, CallDuration: anyValue,
      SpeechResult: anyValue, DialCallStatus: anyValue, QueueResult: anyValue, Body: anyValue, MessageStatus: anyValue, RecordingUrl: anyValue,
    },
    { requiredKeys: [] },
  );
  const path = fc.oneof(
    fc.constantFrom('/twilio/voice', '/twilio/voice/status', '/twilio/sms', '/twilio/sms/status', '/twilio/voice?tenantId=x&campaignId=y&attemptId=z'),
    fc.tuple(fc.constantFrom('step', 'hold'), fc.string({ maxLength: 10 }), fc.string({ maxLength: 6 })).map(
      ([kind, node, s]) => `/twilio/voice/${kind}/TENANT/CA${'ab'.repeat(16)}?node=${encodeURIComponent(node)}&s=${encodeURIComponent(s)}`,
    ),
  );

  it('signed random parameters: every webhook answers 200/204 TwiML or 403, never 5xx, and the gateway stays up', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(path, params, fc.boolean(), async (rawPath, p, rightAccount) => {
        const target = rawPath.replace('TENANT', a.tenantId);
        const signed = { ...p, ...(rightAccount && p.AccountSid !== undefined ? { AccountSid: a.accountSid } : {}) } as Record<string, string>;
        const answer = await postSigned(gw.url, a.authToken, target, signed);
        seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
        expect([200, 204, 403]).toContain(answer.status);
        if (answer.status === 200 && answer.body !== '') expect(answer.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Response/);
      }),
      { numRuns: 300 },
    );
    expect(seen.get(200)).toBeGreaterThan(10);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });
});
