import { startSimulator, type Simulator } from '../../simulator';
import { SimTestClient, type SimAccountCredentials } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';
import { FaultInjector } from '../fault-injector';

const NUMBER = '+15550300001';

describe('telephony-sim fault injection (POST /sim/faults)', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;
  let acct: SimAccountCredentials;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimTestClient(sim);
    app = await new WebhookRecorder(() => '<Response><Hangup/></Response>').start();
  });
  afterAll(async () => {
    await sim.close();
    await app.stop();
  });
  beforeEach(async () => {
    acct = await client.account({ cps: 100, mps: 100 });
    await client.number(acct.sid, NUMBER, { voiceUrl: `${app.url}/voice` });
  });
  afterEach(() => client.control('POST', '/sim/reset'));

  const call = (to = '+15550399999') => client.api(acct, 'POST', '/Calls.json', { To: to, From: NUMBER, Url: `${app.url}/voice` });
  const text = (to = '+15550399998') => client.api(acct, 'POST', '/Messages.json', { To: to, From: NUMBER, Body: 'hello' });
  const callsPlaced = async () => (await client.control<unknown[]>('GET', '/sim/calls')).body.length;

  it('a 500 storm on Calls.json refuses every call for its time, places none, then ends by itself', async () => {
    const added = await client.control<{ id: string; until: string }>('POST', '/sim/faults', { status: 500, path: '^/Calls\\.json$', forMs: 400 });
    expect(added).toMatchObject({ status: 201, body: { id: expect.any(String), until: expect.any(String) } });
    for (let i = 0; i < 3; i++) {
      expect(await call()).toEqual({ status: 500, body: { code: 20500, message: expect.stringContaining('500'), more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 } });
    }
    // Messages are not in the storm.
    expect((await text()).status).toBe(201);
    expect(await callsPlaced()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await call()).status).toBe(201);
    expect(await callsPlaced()).toBe(1);
    expect((await client.control<{ hits: number; matched: number }[]>('GET', '/sim/faults')).body).toEqual([
      expect.objectContaining({ id: added.body.id, hits: 3, matched: 3, expired: true }),
    ]);
  });

  it('a 429 spell answers Twilio\'s 20429 with Retry-After, for a seeded share of requests that repeats exactly', async () => {
    await client.control('POST', '/sim/faults', { status: 429, ratio: 0.5, seed: 7, retryAfterSeconds: 2, path: '^/Messages\\.json$' });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${sim.url}/2010-04-01/Accounts/${acct.sid}/Messages.json`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${acct.sid}:${acct.token}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: `+1555039${String(i).padStart(4, '0')}`, From: NUMBER, Body: 'hi' }).toString(),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBe('2');
        expect(await response.json()).toMatchObject({ code: 20429, status: 429 });
      } else await response.body?.cancel();
    }
    const injector = new FaultInjector();
    injector.add({ status: 429, ratio: 0.5, seed: 7, path: '.*', method: 'POST', effect: 'refused' });
    const expected = statuses.map(() => (injector.match('POST', '/Messages.json', acct.sid) ? 429 : 201));
    expect(statuses).toEqual(expected);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(3);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(3);
    const sent = (await client.control<unknown[]>('GET', '/sim/messages')).body.length;
    expect(sent).toBe(statuses.filter((s) => s === 201).length);
  });

  it('an accepted fault places the call and answers 500 all the same (the ambiguous case a retry must not double)', async () => {
    await client.control('POST', '/sim/faults', { status: 500, effect: 'accepted', times: 1, path: '^/Calls\\.json$' });
    expect((await call()).status).toBe(500);
    expect(await callsPlaced()).toBe(1);
    expect((await call()).status).toBe(201);
    expect(await callsPlaced()).toBe(2);
  });

  it('applies to one account only when it names one, and is gone after a reset', async () => {
    const other = await client.account({ cps: 100, mps: 100 });
    await client.control('POST', '/sim/faults', { status: 503, accountSid: other.sid, method: 'ANY' });
    expect((await call()).status).toBe(201);
    expect(await client.api(other, 'GET', '/Calls.json')).toMatchObject({ status: 503, body: { code: 20503 } });
    await client.control('POST', '/sim/reset');
    expect((await client.control<unknown[]>('GET', '/sim/faults')).body).toEqual([]);
  });

  it('says which fields of a fault are wrong', async () => {
    const bad = await client.control<{ issues: string[] }>('POST', '/sim/faults', { status: 200, ratio: 2, path: '(' });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^status: /), expect.stringMatching(/^ratio: /)]));
    const badPath = await client.control<{ issues: string[] }>('POST', '/sim/faults', { status: 500, path: '(' });
    expect(badPath.body.issues).toEqual([expect.stringMatching(/^path: not a regular expression/)]);
    expect((await client.control('DELETE', '/sim/faults/fault-999')).status).toBe(404);
  });
});
