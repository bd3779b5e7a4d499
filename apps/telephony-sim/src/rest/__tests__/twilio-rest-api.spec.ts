import { startSimulator, type Simulator } from '../../simulator';
import { OpenApiResponseValidator } from '../../testing/openapi-response-validator';
import { type SimAccountCredentials, SimTestClient } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';

const API = '/2010-04-01/Accounts/{AccountSid}';
const NUMBER = '+15550100001';
const CALLEE = '+15550199999';

describe('telephony-sim: Twilio REST API', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;
  let acct: SimAccountCredentials;
  const openapi = new OpenApiResponseValidator();

  /** Asserts an answer matches the response schema in Twilio's OpenAPI file for that route. */
  const expectTwilioShape = (path: string, method: 'get' | 'post', status: number, res: { status: number; body: unknown }) => {
    expect(res.status).toBe(status);
    expect(openapi.errors('api', `${API}${path}`, method, status, res.body)).toEqual([]);
  };

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
    acct = await client.account({ cps: 2, mps: 3 });
    await client.number(acct.sid, NUMBER, { voiceUrl: `${app.url}/voice` });
    app.requests.length = 0;
    app.handle(() => '<Response><Say>Hello from the test app</Say></Response>');
  });
  afterEach(async () => {
    await client.control('POST', '/sim/reset');
  });

  it('spec check accepts Twilio’s own example answers (the checker is no stricter than Twilio)', () => {
    for (const [path, method, status] of [
      ['/Calls.json', 'post', 201],
      ['/Calls/{Sid}.json', 'get', 200],
      ['/Messages.json', 'post', 201],
      ['/Queues/{QueueSid}/Members/{CallSid}.json', 'post', 200],
      ['/IncomingPhoneNumbers.json', 'post', 201],
    ] as const) {
      for (const example of openapi.examples('api', `${API}${path}`, method, status)) {
        expect(openapi.errors('api', `${API}${path}`, method, status, example)).toEqual([]);
      }
    }
  });

  it('answers wrong credentials with Twilio’s 401 / 20003', async () => {
    const wrongToken = await client.api({ sid: acct.sid, token: 'not-the-token' }, 'GET', '/Calls.json');
    expect(wrongToken).toEqual({
      status: 401,
      body: { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 },
    });
    const other = await client.account();
    const crossAccount = await fetch(`${sim.url}/2010-04-01/Accounts/${acct.sid}/Calls.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${other.sid}:${other.token}`).toString('base64')}` },
    });
    expect(crossAccount.status).toBe(401);
    const none = await fetch(`${sim.url}/2010-04-01/Accounts/${acct.sid}/Calls.json`);
    expect(none.status).toBe(401);
  });

  it('creates, fetches and lists calls in Twilio’s shape; the call runs the Url’s TwiML', async () => {
    const created = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Url: `${app.url}/voice` });
    expectTwilioShape('/Calls.json', 'post', 201, created);
    expect(created.body).toMatchObject({ status: 'queued', direction: 'outbound-api', to: CALLEE, from: NUMBER });
    const ended = await client.callEnded(created.body.sid as string);
    expect(ended.heard).toEqual(['Hello from the test app']);

    const fetched = await client.api(acct, 'GET', `/Calls/${created.body.sid}.json`);
    expectTwilioShape('/Calls/{Sid}.json', 'get', 200, fetched);
    expect(fetched.body).toMatchObject({ status: 'completed', duration: '2' });

    const listed = await client.api(acct, 'GET', `/Calls.json?To=${encodeURIComponent(CALLEE)}`);
    expectTwilioShape('/Calls.json', 'get', 200, listed);
    expect((listed.body.calls as { sid: string }[]).map((c) => c.sid)).toEqual([created.body.sid]);
  });

  it('rejects an invalid To with 21211 and an unowned From with 21210', async () => {
    const badTo = await client.api(acct, 'POST', '/Calls.json', { To: '12345', From: NUMBER, Url: `${app.url}/voice` });
    expect(badTo.status).toBe(400);
    expect(badTo.body).toMatchObject({ code: 21211, status: 400, more_info: 'https://www.twilio.com/docs/errors/21211' });
    const badSms = await client.api(acct, 'POST', '/Messages.json', { To: 'not-a-number', From: NUMBER, Body: 'hi' });
    expect(badSms.body).toMatchObject({ code: 21211, status: 400 });
    const badFrom = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: '+15550100999', Url: `${app.url}/voice` });
    expect(badFrom.body).toMatchObject({ code: 21210, status: 400 });
  });

  it('pushes back past the account’s calls-per-second with 429 / 20429', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Twiml: '<Response/>' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 429, 429]);
    expect(results.find((r) => r.status === 429)?.body).toMatchObject({ code: 20429, status: 429 });
    await new Promise((r) => setTimeout(r, 1000));
    const later = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Twiml: '<Response/>' });
    expect(later.status).toBe(201);
  });

  it('redirects a live call to a new Url, replaces its TwiML, and ends it', async () => {
    app.handle((req) =>
      req.path === '/voice'
        ? '<Response><Enqueue>support</Enqueue></Response>'
        : '<Response><Say>You were redirected</Say></Response>',
    );
    const a = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Url: `${app.url}/voice` });
    await app.waitFor('/voice');
    await waitForQueueSize(acct, 'support', 1);
    const redirected = await client.api(acct, 'POST', `/Calls/${a.body.sid}.json`, { Url: `${app.url}/next`, Method: 'POST' });
    expectTwilioShape('/Calls/{Sid}.json', 'post', 200, redirected);
    expect((await client.callEnded(a.body.sid as string)).heard).toEqual(['You were redirected']);

    await new Promise((r) => setTimeout(r, 1000));
    const b = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Url: `${app.url}/voice` });
    await waitForQueueSize(acct, 'support', 1);
    await client.api(acct, 'POST', `/Calls/${b.body.sid}.json`, { Twiml: '<Response><Say>Inline words</Say><Hangup/></Response>' });
    expect((await client.callEnded(b.body.sid as string)).heard).toEqual(['Inline words']);

    await new Promise((r) => setTimeout(r, 1000));
    const c = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Url: `${app.url}/voice` });
    await waitForQueueSize(acct, 'support', 1);
    await client.api(acct, 'POST', `/Calls/${c.body.sid}.json`, { Status: 'completed' });
    const ended = await client.callEnded(c.body.sid as string);
    expect(ended.status).toBe('completed');
    const again = await client.api(acct, 'POST', `/Calls/${c.body.sid}.json`, { Url: `${app.url}/next` });
    expect(again.body).toMatchObject({ code: 21220, status: 400 });
  });

  it('lists queue members and dequeues one to a Url, as the pull queue does', async () => {
    app.handle((req) =>
      req.path === '/voice' ? '<Response><Enqueue waitUrl="/hold">sales</Enqueue></Response>'
        : req.path === '/hold' ? '<Response><Play>http://example.com/music.mp3</Play></Response>'
          : '<Response><Say>Connecting you to an agent</Say></Response>',
    );
    const call = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Url: `${app.url}/voice` });
    const queueSid = await waitForQueueSize(acct, 'sales', 1);
    expect((await app.waitFor('/hold'))[0].params).toMatchObject({ QueuePosition: '1', CurrentQueueSize: '1' });

    const queues = await client.api(acct, 'GET', '/Queues.json');
    expectTwilioShape('/Queues.json', 'get', 200, queues);
    const queue = await client.api(acct, 'GET', `/Queues/${queueSid}.json`);
    expectTwilioShape('/Queues/{Sid}.json', 'get', 200, queue);
    expect(queue.body).toMatchObject({ friendly_name: 'sales', current_size: 1 });
    const members = await client.api(acct, 'GET', `/Queues/${queueSid}/Members.json`);
    expectTwilioShape('/Queues/{QueueSid}/Members.json', 'get', 200, members);
    expect(members.body.queue_members).toEqual([expect.objectContaining({ call_sid: call.body.sid, position: 1 })]);
    const front = await client.api(acct, 'GET', `/Queues/${queueSid}/Members/Front.json`);
    expectTwilioShape('/Queues/{QueueSid}/Members/{CallSid}.json', 'get', 200, front);

    const dequeued = await client.api(acct, 'POST', `/Queues/${queueSid}/Members/${call.body.sid}.json`, { Url: `${app.url}/agent` });
    expectTwilioShape('/Queues/{QueueSid}/Members/{CallSid}.json', 'post', 200, dequeued);
    const ended = await client.callEnded(call.body.sid as string);
    expect(ended.heard[0]).toBe('[play http://example.com/music.mp3]');
    expect(ended.heard.at(-1)).toBe('Connecting you to an agent');
    const after = await client.api(acct, 'GET', `/Queues/${queueSid}.json`);
    expect(after.body.current_size).toBe(0);

    const created = await client.api(acct, 'POST', '/Queues.json', { FriendlyName: 'billing', MaxSize: '10' });
    expectTwilioShape('/Queues.json', 'post', 201, created);
  });

  it('keeps recordings made by <Record>, fetchable and listed per call', async () => {
    app.handle((req) =>
      req.path === '/voice' ? '<Response><Say>Leave a message</Say><Record maxLength="30" action="/recorded"/></Response>' : '<Response><Hangup/></Response>',
    );
    const call = await client.api(acct, 'POST', '/Calls.json', { To: CALLEE, From: NUMBER, Url: `${app.url}/voice` });
    await client.callEnded(call.body.sid as string);
    const [recorded] = await app.waitFor('/recorded');
    expect(recorded.params.RecordingDuration).toBe('4');
    const fetched = await client.api(acct, 'GET', `/Recordings/${recorded.params.RecordingSid}.json`);
    expectTwilioShape('/Recordings/{Sid}.json', 'get', 200, fetched);
    expect(fetched.body).toMatchObject({ call_sid: call.body.sid, duration: '4', status: 'completed', source: 'RecordVerb' });
    const perCall = await client.api(acct, 'GET', `/Calls/${call.body.sid}/Recordings.json`);
    expectTwilioShape('/Calls/{CallSid}/Recordings.json', 'get', 200, perCall);
    const all = await client.api(acct, 'GET', '/Recordings.json');
    expectTwilioShape('/Recordings.json', 'get', 200, all);
    const audio = await fetch(`${fetched.body.media_url}.wav`);
    expect(audio.headers.get('content-type')).toBe('audio/x-wav');
    expect((await audio.arrayBuffer()).byteLength).toBe(44 + 4 * 8000);
  });

  it('configures a number’s webhooks the Twilio way (IncomingPhoneNumbers)', async () => {
    const bought = await client.api(acct, 'POST', '/IncomingPhoneNumbers.json', { PhoneNumber: '+15550100222', VoiceUrl: `${app.url}/old` });
    expectTwilioShape('/IncomingPhoneNumbers.json', 'post', 201, bought);
    const updated = await client.api(acct, 'POST', `/IncomingPhoneNumbers/${bought.body.sid}.json`, { VoiceUrl: `${app.url}/new`, SmsUrl: `${app.url}/sms` });
    expectTwilioShape('/IncomingPhoneNumbers/{Sid}.json', 'post', 200, updated);
    expect(updated.body).toMatchObject({ voice_url: `${app.url}/new`, sms_url: `${app.url}/sms` });
    const listed = await client.api(acct, 'GET', `/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent('+15550100222')}`);
    expectTwilioShape('/IncomingPhoneNumbers.json', 'get', 200, listed);
    const fetched = await client.api(acct, 'GET', `/IncomingPhoneNumbers/${bought.body.sid}.json`);
    expectTwilioShape('/IncomingPhoneNumbers/{Sid}.json', 'get', 200, fetched);

    const call = await client.control<{ sid: string }>('POST', '/sim/calls', { from: '+15550177777', to: '+15550100222', wait: true });
    expect(call.body).toMatchObject({ direction: 'inbound', heard: ['Hello from the test app'] });
    expect(app.requests.map((r) => r.path)).toEqual(['/new']);
  });

  it('shows the account to its owner in Twilio’s shape', async () => {
    const res = await fetch(`${sim.url}/2010-04-01/Accounts/${acct.sid}.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${acct.sid}:${acct.token}`).toString('base64')}` },
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(openapi.errors('api', '/2010-04-01/Accounts/{Sid}.json', 'get', 200, body)).toEqual([]);
    expect(body).toMatchObject({ sid: acct.sid, status: 'active' });
    const wrong = await fetch(`${sim.url}/2010-04-01/Accounts/${acct.sid}.json`, { headers: { authorization: 'Basic eDp5' } });
    expect(wrong.status).toBe(401);
  });

  it('answers unknown resources with Twilio’s 404 / 20404', async () => {
    const res = await client.api(acct, 'GET', `/Calls/CA${'0'.repeat(32)}.json`);
    expect(res).toEqual({
      status: 404,
      body: expect.objectContaining({ code: 20404, status: 404, more_info: 'https://www.twilio.com/docs/errors/20404' }),
    });
  });

  async function waitForQueueSize(creds: SimAccountCredentials, name: string, size: number): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const queue = sim.store.queueByName(creds.sid, name);
      if (queue && queue.members.length === size) return queue.sid;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`queue "${name}" never reached ${size} member(s)`);
  }
});
