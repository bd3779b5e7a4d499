import { startSimulator, type Simulator } from '../../simulator';
import { OpenApiResponseValidator } from '../../testing/openapi-response-validator';
import { type SimAccountCredentials, SimTestClient } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';

const API = '/2010-04-01/Accounts/{AccountSid}';
const NUMBER = '+15550100001';

describe('telephony-sim: Messages and Lookups', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;
  let acct: SimAccountCredentials;
  const openapi = new OpenApiResponseValidator();

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimTestClient(sim);
    app = await new WebhookRecorder(() => ({ status: 204, body: '' })).start();
  });
  afterAll(async () => {
    await sim.close();
    await app.stop();
  });
  beforeEach(async () => {
    acct = await client.account({ mps: 2 });
    await client.number(acct.sid, NUMBER);
    app.requests.length = 0;
  });
  afterEach(() => client.control('POST', '/sim/reset'));

  it('creates a message, posts signed queued/sent/delivered callbacks, and shows it delivered', async () => {
    const created = await client.api(acct, 'POST', '/Messages.json', {
      To: '+15550122222',
      From: NUMBER,
      Body: 'Your coupon is ABC-123',
      StatusCallback: `${app.url}/sms/status`,
    });
    expect(created.status).toBe(201);
    expect(openapi.errors('api', `${API}/Messages.json`, 'post', 201, created.body)).toEqual([]);
    expect(created.body).toMatchObject({ status: 'queued', direction: 'outbound-api', body: 'Your coupon is ABC-123', num_segments: '1' });

    const callbacks = await app.waitFor('/sms/status', 3);
    expect(callbacks.map((c) => c.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
    expect(callbacks.every((c) => c.params.MessageSid === created.body.sid)).toBe(true);
    expect(callbacks.every((c) => WebhookRecorder.signedWith(acct.token, c))).toBe(true);

    const fetched = await client.api(acct, 'GET', `/Messages/${created.body.sid}.json`);
    expect(openapi.errors('api', `${API}/Messages/{Sid}.json`, 'get', 200, fetched.body)).toEqual([]);
    expect(fetched.body).toMatchObject({ status: 'delivered' });
    const listed = await client.api(acct, 'GET', '/Messages.json');
    expect(openapi.errors('api', `${API}/Messages.json`, 'get', 200, listed.body)).toEqual([]);

    const inbox = await client.control<{ to: string; body: string }[]>('GET', `/sim/messages?to=${encodeURIComponent('+15550122222')}`);
    expect(inbox.body).toEqual([expect.objectContaining({ body: 'Your coupon is ABC-123', status: 'delivered' })]);
  });

  it('refuses a message without a body (21602) and past the messages-per-second limit (20429)', async () => {
    const noBody = await client.api(acct, 'POST', '/Messages.json', { To: '+15550122222', From: NUMBER });
    expect(noBody.body).toMatchObject({ code: 21602, status: 400 });
    const sends = await Promise.all(
      Array.from({ length: 3 }, (_, i) => client.api(acct, 'POST', '/Messages.json', { To: '+15550122222', From: NUMBER, Body: `n${i}` })),
    );
    expect(sends.map((s) => s.status).sort()).toEqual([201, 201, 429]);
    expect(sends.find((s) => s.status === 429)?.body).toMatchObject({ code: 20429, status: 429, message: expect.stringContaining('messages-per-second') });
  });

  it('reports a message to an unreachable phone as undelivered with 30003, in the callback and the resource', async () => {
    await client.control('PUT', `/sim/phones/${encodeURIComponent('+15550144444')}`, { sms: 'undelivered' });
    const created = await client.api(acct, 'POST', '/Messages.json', { To: '+15550144444', From: NUMBER, Body: 'hello?', StatusCallback: `${app.url}/sms/status` });
    const callbacks = await app.waitFor('/sms/status', 3);
    expect(callbacks.map((c) => [c.params.MessageStatus, c.params.ErrorCode])).toEqual([['queued', undefined], ['sent', undefined], ['undelivered', '30003']]);
    const fetched = await client.api(acct, 'GET', `/Messages/${created.body.sid}.json`);
    expect(openapi.errors('api', `${API}/Messages/{Sid}.json`, 'get', 200, fetched.body)).toEqual([]);
    expect(fetched.body).toMatchObject({ status: 'undelivered', error_code: 30003, error_message: 'Unreachable destination handset' });
  });

  it('honours STOP as Twilio does: an automatic answer, then 21610 until START', async () => {
    await client.api(acct, 'POST', `/IncomingPhoneNumbers/${sim.store.numberByPhone(NUMBER)?.sid}.json`, { SmsUrl: `${app.url}/sms` });
    const stop = await client.control<{ replies: { body: string }[] }>('POST', '/sim/sms', { from: '+15550155555', to: NUMBER, body: ' stop ' });
    expect(stop.body.replies.map((r) => r.body)).toEqual([expect.stringContaining('You have successfully been unsubscribed')]);
    expect(app.to('/sms')[0].params.Body).toBe(' stop ');
    const refused = await client.api(acct, 'POST', '/Messages.json', { To: '+15550155555', From: NUMBER, Body: 'promo' });
    expect(refused.body).toMatchObject({ code: 21610, status: 400, message: 'Attempt to send to unsubscribed recipient' });
    await client.control('POST', '/sim/sms', { from: '+15550155555', to: NUMBER, body: 'START' });
    expect((await client.api(acct, 'POST', '/Messages.json', { To: '+15550155555', From: NUMBER, Body: 'welcome back' })).status).toBe(201);
  });

  it('answers a Lookups v2 caller-name query in Twilio’s shape', async () => {
    await client.control('PUT', `/sim/phones/${encodeURIComponent('+15550133333')}`, { callerName: 'Ada Lovelace' });
    const res = await fetch(`${sim.url}/v2/PhoneNumbers/${encodeURIComponent('+15550133333')}?Fields=caller_name`, {
      headers: { authorization: `Basic ${Buffer.from(`${acct.sid}:${acct.token}`).toString('base64')}` },
    });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(openapi.errors('lookups', '/v2/PhoneNumbers/{PhoneNumber}', 'get', 200, body)).toEqual([]);
    expect(body).toMatchObject({ phone_number: '+15550133333', valid: true, caller_name: { caller_name: 'Ada Lovelace', caller_type: 'CONSUMER' } });

    const unauthorized = await fetch(`${sim.url}/v2/PhoneNumbers/${encodeURIComponent('+15550133333')}?Fields=caller_name`);
    expect(unauthorized.status).toBe(401);
  });
});
