import { TelephonyExceptionCode, TwilioTelephonyAdapter, type TelephonyCredentials } from '@ringflow/telephony';
import { startSimulator, type Simulator } from '../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import { WebhookRecorder } from '../../apps/telephony-sim/src/testing/webhook-recorder';

const NUMBER = '+15550200001';
const CALLEE = '+15550299999';

describe('libs/telephony: the official twilio SDK against the simulator', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;
  let telephony: TwilioTelephonyAdapter;
  let creds: TelephonyCredentials;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimTestClient(sim);
    app = await new WebhookRecorder().start();
    telephony = new TwilioTelephonyAdapter({ apiBaseUrl: sim.url });
  });
  afterAll(async () => {
    await sim.close();
    await app.stop();
  });
  beforeEach(async () => {
    const acct = await client.account({ cps: 5, mps: 5 });
    creds = { accountSid: acct.sid, authToken: acct.token };
    await client.number(acct.sid, NUMBER, { voiceUrl: `${app.url}/voice` });
    app.requests.length = 0;
  });
  afterEach(() => client.control('POST', '/sim/reset'));

  it('places a call that is answered, runs the answer URL and reports its status callbacks', async () => {
    app.handle(() => '<Response><Say>Hi, this is your reminder</Say></Response>');
    const placed = await telephony.placeCall(creds, {
      to: CALLEE,
      from: NUMBER,
      url: `${app.url}/voice`,
      statusCallback: `${app.url}/status`,
      statusCallbackEvents: ['initiated', 'ringing', 'answered', 'completed'],
      machineDetection: 'Enable',
    });
    expect(placed).toMatchObject({ status: 'queued', to: CALLEE, from: NUMBER, direction: 'outbound-api' });
    const statuses = await app.waitFor('/status', 4);
    expect(statuses.map((s) => s.params.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(statuses[3].params).toMatchObject({ CallDuration: '2', AnsweredBy: 'human' });
    expect(statuses.every((s) => WebhookRecorder.signedWith(creds.authToken, s))).toBe(true);
    expect(app.to('/voice')[0].params).toMatchObject({ CallSid: placed.callSid, AnsweredBy: 'human', Direction: 'outbound-api' });
    expect(await telephony.fetchCall(creds, placed.callSid)).toMatchObject({ status: 'completed', durationSeconds: 2, answeredBy: 'human' });
  });

  it('redirects, replaces and ends a waiting call; dequeues a queue member to a URL', async () => {
    app.handle((req) => (req.path === '/voice' ? '<Response><Enqueue>agents</Enqueue></Response>' : '<Response><Say>Bridging you now</Say></Response>'));
    const first = await telephony.placeCall(creds, { to: CALLEE, from: NUMBER, url: `${app.url}/voice` });
    await waitUntil(async () => (await telephony.listQueueMembers(creds, 'agents')).length === 1);
    expect(await telephony.listQueueMembers(creds, 'agents')).toEqual([{ callSid: first.callSid, position: 1, waitSeconds: expect.any(Number) }]);
    await telephony.dequeueMember(creds, 'agents', first.callSid, `${app.url}/bridge`);
    expect((await client.callEnded(first.callSid)).heard).toEqual(['Bridging you now']);

    const second = await telephony.placeCall(creds, { to: CALLEE, from: NUMBER, url: `${app.url}/voice` });
    await waitUntil(async () => (await telephony.listQueueMembers(creds, 'agents')).length === 1);
    await telephony.updateCall(creds, second.callSid, { kind: 'twiml', twiml: '<Response><Say>Sorry, nobody is free</Say></Response>' });
    expect((await client.callEnded(second.callSid)).heard).toEqual(['Sorry, nobody is free']);

    const third = await telephony.placeCall(creds, { to: CALLEE, from: NUMBER, url: `${app.url}/voice` });
    await waitUntil(async () => (await telephony.listQueueMembers(creds, 'agents')).length === 1);
    await telephony.updateCall(creds, third.callSid, { kind: 'redirect', url: `${app.url}/bridge` });
    expect((await client.callEnded(third.callSid)).heard).toEqual(['Bridging you now']);
    await expect(telephony.updateCall(creds, third.callSid, { kind: 'end' })).rejects.toMatchObject({ code: TelephonyExceptionCode.InvalidState, twilioCode: 21220 });
  });

  it('sends an SMS, looks up a caller name and fetches a recording', async () => {
    const sms = await telephony.sendSms(creds, { to: '+15550233333', from: NUMBER, body: 'Code 4417', statusCallback: `${app.url}/sms-status` });
    expect(sms).toMatchObject({ messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: 'queued' });
    expect((await app.waitFor('/sms-status', 3)).map((r) => r.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);

    await client.control('PUT', `/sim/phones/${encodeURIComponent('+15550233333')}`, { callerName: 'Grace Hopper' });
    expect(await telephony.lookupCallerName(creds, '+15550233333')).toEqual({ number: '+15550233333', valid: true, callerName: 'Grace Hopper' });
    expect(await telephony.lookupCallerName(creds, '+15550244444')).toEqual({ number: '+15550244444', valid: true, callerName: null });

    app.handle((req) => (req.path === '/voice' ? '<Response><Record action="/done" playBeep="false"/></Response>' : '<Response><Hangup/></Response>'));
    const call = await telephony.placeCall(creds, { to: CALLEE, from: NUMBER, url: `${app.url}/voice` });
    const [done] = await app.waitFor('/done');
    const recording = await telephony.fetchRecording(creds, done.params.RecordingSid);
    expect(recording).toMatchObject({ callSid: call.callSid, durationSeconds: 4, status: 'completed', mediaUrl: expect.stringContaining(done.params.RecordingSid) });
  });

  it('points a number at new webhooks, which inbound calls then reach', async () => {
    app.handle(() => '<Response><Say>New flow</Say></Response>');
    await telephony.configureNumber(creds, NUMBER, { voiceUrl: `${app.url}/new-voice`, smsUrl: `${app.url}/sms` });
    const call = await client.control('POST', '/sim/calls', { from: '+15550255555', to: NUMBER, wait: true });
    expect(call.body).toMatchObject({ heard: ['New flow'] });
    expect(app.requests.map((r) => r.path)).toEqual(['/new-voice']);
  });

  it('verifies a tenant’s credentials by fetching its account', async () => {
    expect(await telephony.verifyCredentials(creds)).toEqual({ accountSid: creds.accountSid, friendlyName: creds.accountSid, status: 'active' });
    await expect(telephony.verifyCredentials({ ...creds, authToken: 'not-it-at-all' })).rejects.toMatchObject({ code: TelephonyExceptionCode.Auth });
  });

  it('maps Twilio’s refusals to coded TelephonyExceptions', async () => {
    await expect(telephony.placeCall({ ...creds, authToken: 'wrong-token-123' }, { to: CALLEE, from: NUMBER, url: `${app.url}/voice` })).rejects.toMatchObject({
      code: TelephonyExceptionCode.Auth,
      httpStatus: 401,
      twilioCode: 20003,
    });
    await expect(telephony.sendSms(creds, { to: '555', from: NUMBER, body: 'x' })).rejects.toMatchObject({ code: TelephonyExceptionCode.InvalidNumber, twilioCode: 21211 });
    const burst = await Promise.allSettled(Array.from({ length: 7 }, () => telephony.sendSms(creds, { to: '+15550233333', from: NUMBER, body: 'burst' })));
    const refused = burst.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.length).toBe(2);
    expect(refused[0].reason).toMatchObject({ code: TelephonyExceptionCode.RateLimited, twilioCode: 20429, retryable: true });
    await expect(telephony.fetchCall(creds, `CA${'0'.repeat(32)}`)).rejects.toMatchObject({ code: TelephonyExceptionCode.NotFound });
    const nowhere = new TwilioTelephonyAdapter({ apiBaseUrl: 'http://127.0.0.1:1' });
    await expect(nowhere.fetchCall(creds, `CA${'0'.repeat(32)}`)).rejects.toMatchObject({ code: TelephonyExceptionCode.Unavailable, retryable: true });
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
