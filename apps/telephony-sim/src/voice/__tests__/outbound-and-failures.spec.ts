import { startSimulator, type Simulator } from '../../simulator';
import { type SimAccountCredentials, SimTestClient } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';

const NUMBER = '+15550400001';
const CALLEE = '+15550411111';

describe('telephony-sim: outbound calls, callee scripts, and TwiML failures', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;
  let acct: SimAccountCredentials;

  const place = async (form: Record<string, string | string[]> = {}) => {
    const res = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Url: `${app.url}/answer`, StatusCallback: `${app.url}/status`, ...form });
    expect(res.status).toBe(201);
    return client.callEnded(res.body.sid as string);
  };
  const scriptCallee = (script: Record<string, unknown>) => client.control('PUT', `/sim/phones/${encodeURIComponent(CALLEE)}`, script);

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimTestClient(sim);
    app = await new WebhookRecorder().start();
  });
  afterAll(async () => {
    await sim.close();
    await app.stop();
  });
  beforeEach(async () => {
    acct = await client.account({ cps: 50 });
    await client.number(acct.sid, NUMBER, { voiceUrl: `${app.url}/inbound` });
    app.requests.length = 0;
    app.handle(() => '<Response><Gather numDigits="1" action="/pressed"><Say>Press 1 for your coupon</Say></Gather></Response>');
  });
  afterEach(() => client.control('POST', '/sim/reset'));

  it.each([
    ['busy', 'busy'],
    ['no-answer', 'no-answer'],
    ['failed', 'failed'],
  ])('a callee that is %s never fetches the Url and ends %s', async (answer, status) => {
    await scriptCallee({ answer });
    const ended = await place({ StatusCallbackEvent: ['ringing', 'answered', 'completed'] });
    expect(ended.status).toBe(status);
    expect(app.to('/answer')).toHaveLength(0);
    const callbacks = await app.waitFor('/status', 2);
    expect(callbacks.map((c) => c.params.CallStatus)).toEqual(['ringing', status]);
    expect(callbacks[1].params.CallDuration).toBe('0');
  });

  it('a person answers and presses the scripted key; a machine answers with AnsweredBy and presses nothing', async () => {
    await scriptCallee({ answer: 'human', presses: ['1'] });
    await place({ MachineDetection: 'Enable' });
    expect(app.to('/answer')[0].params).toMatchObject({ AnsweredBy: 'human', Direction: 'outbound-api', To: CALLEE, From: NUMBER });
    expect(app.to('/pressed')[0].params).toMatchObject({ Digits: '1' });

    app.requests.length = 0;
    await scriptCallee({ answer: 'machine', presses: ['1'] });
    const machine = await place({ MachineDetection: 'DetectMessageEnd' });
    expect(app.to('/answer')[0].params.AnsweredBy).toBe('machine_end_beep');
    expect(app.to('/pressed')).toHaveLength(0);
    expect(machine.heard).toEqual(['Press 1 for your coupon']);
    expect((await app.waitFor('/status'))[0].params).toMatchObject({ CallStatus: 'completed', AnsweredBy: 'machine_end_beep' });
  });

  it.each([
    ['not XML', { body: 'Hello!' }, /^12100: .*not well-formed XML/],
    ['an unknown verb', { body: '<Response><Speak>hi</Speak></Response>' }, /^12200: .*<Speak> is not a TwiML verb/],
    ['an unknown attribute', { body: '<Response><Gather digits="1"/></Response>' }, /^12200: .*<Gather> has no attribute "digits"/],
    ['bad nesting', { body: '<Response><Gather><Record/></Gather></Response>' }, /^12200: .*<Record> may not be nested in <Gather>/],
    ['an HTTP 500', { status: 500, body: 'boom' }, /^11200: HTTP retrieval failure: POST .*\/answer answered 500: boom/],
    ['a wrong content type', { contentType: 'application/json', body: '{}' }, /^12300: invalid Content-Type "application\/json"/],
  ])('fails the call loudly on %s, with the reason', async (_name, answer, reason) => {
    app.handle(() => answer);
    const ended = await place();
    expect(ended.failure).toMatch(reason);
    expect(ended.heard).toEqual(['We are sorry, an application error has occurred. Goodbye.']);
    expect(ended.lines.join('\n')).toContain('ERROR');
  });

  it('fails a call whose application redirects forever', async () => {
    app.handle(() => '<Response><Redirect>/answer</Redirect></Response>');
    const ended = await place();
    expect(ended.failure).toMatch(/more than 100 TwiML documents: the application loops/);
  });

  it('fails a call whose inline TwiML has a Gather without a way out', async () => {
    const res = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Twiml: '<Response><Gather numDigits="1"><Say>Press 1</Say></Gather></Response>' });
    const ended = await client.callEnded(res.body.sid as string);
    expect(ended.failure).toMatch(/^12200: <Gather> without an action in inline TwiML has no way out/);
  });

  it('runs inline Twiml given at creation, without fetching any URL', async () => {
    const res = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Twiml: '<Response><Say>Inline hello</Say></Response>' });
    const ended = await client.callEnded(res.body.sid as string);
    expect(ended.heard).toEqual(['Inline hello']);
    expect(app.requests).toHaveLength(0);
  });

  it('posts an inbound SMS to the number’s SmsUrl and delivers the <Message> reply to the sender', async () => {
    await client.api(acct, 'POST', `/IncomingPhoneNumbers/${sim.store.numberByPhone(NUMBER)?.sid}.json`, { SmsUrl: `${app.url}/sms` });
    app.handle((req) => `<Response><Message>Got "${req.params.Body}", thanks</Message></Response>`);
    const res = await client.control<{ replies: { to: string; body: string; direction: string }[]; failure: string | null }>('POST', '/sim/sms', { from: '+15550499999', to: NUMBER, body: 'YES' });
    expect(res.status).toBe(201);
    expect(res.body.failure).toBeNull();
    expect(res.body.replies).toEqual([expect.objectContaining({ to: '+15550499999', body: 'Got "YES", thanks', direction: 'outbound-reply' })]);
    const [sms] = app.to('/sms');
    expect(sms.params).toMatchObject({ From: '+15550499999', To: NUMBER, Body: 'YES', SmsStatus: 'received', AccountSid: acct.sid });
    expect(WebhookRecorder.signedWith(acct.token, sms)).toBe(true);

    app.handle(() => '<Response><Say>wrong kind</Say></Response>');
    const bad = await client.control<{ failure: string }>('POST', '/sim/sms', { from: '+15550499999', to: NUMBER, body: 'again' });
    expect(bad.body.failure).toMatch(/<Say> is not a TwiML verb/);
  });

  it('delivers an SMS sent over REST to a simulated number as an inbound SMS to its SmsUrl', async () => {
    const other = await client.account();
    await client.number(other.sid, '+15550488888', { smsUrl: `${app.url}/other-sms` });
    app.handle(() => ({ status: 200, contentType: 'text/xml', body: '<Response/>' }));
    await client.api(acct, 'POST', '/Messages.json', { To: '+15550488888', From: NUMBER, Body: 'agent: caller waiting' });
    const [sms] = await app.waitFor('/other-sms');
    expect(sms.params).toMatchObject({ From: NUMBER, To: '+15550488888', Body: 'agent: caller waiting' });
    expect(WebhookRecorder.signedWith(other.token, sms)).toBe(true);
  });
});
