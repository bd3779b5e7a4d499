import { startSimulator, type Simulator } from '../../simulator';
import { type SimAccountCredentials, SimTestClient } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';

const NUMBER = '+15550600001';
const CALLER = '+15550611111';

describe('telephony-sim: callers on hold wait in real time; rejected calls are never answered', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;
  let acct: SimAccountCredentials;

  const startCall = async (script: Record<string, unknown> = {}) =>
    (await client.control<{ sid: string }>('POST', '/sim/calls', { from: CALLER, to: NUMBER, script })).body.sid;
  const redirectWhenHolding = async (sid: string, heardSoFar: number) => {
    for (let i = 0; i < 200 && (sim.store.calls.get(sid)?.transcript.filter((e) => e.kind === 'play').length ?? 0) < heardSoFar; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const res = await client.api(acct, 'POST', `/Calls/${sid}.json`, { Url: `${app.url}/agent` });
    expect(res.status).toBe(200);
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
    acct = await client.account();
    await client.number(acct.sid, NUMBER, { voiceUrl: `${app.url}/voice`, statusCallback: `${app.url}/status` });
    app.requests.length = 0;
  });
  afterEach(() => client.control('POST', '/sim/reset'));

  it('keeps a caller on endless hold music until the app redirects the call over REST', async () => {
    app.handle((req) => (req.path === '/voice' ? '<Response><Say>Please hold</Say><Play loop="0">https://example.com/music.mp3</Play></Response>' : '<Response><Say>An agent is here</Say></Response>'));
    const sid = await startCall();
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.store.calls.get(sid)?.status).toBe('in-progress');
    await redirectWhenHolding(sid, 1);
    expect((await client.callEnded(sid)).heard).toEqual(['Please hold', '[play https://example.com/music.mp3]', 'An agent is here']);
  });

  it('plays music that redirects to itself as a hold loop, in real time, until the app redirects the call', async () => {
    app.handle((req) => (req.path === '/voice' ? '<Response><Play>https://example.com/music.mp3</Play><Redirect>/voice</Redirect></Response>' : '<Response><Say>An agent is here</Say></Response>'));
    const sid = await startCall({ holdMsPerSecond: 40 });
    await app.waitFor('/voice', 5, 5000);
    const times = app.to('/voice').map((r) => r.at);
    expect(times[4] - times[3]).toBeGreaterThanOrEqual(150);
    await redirectWhenHolding(sid, 5);
    const ended = await client.callEnded(sid);
    expect(ended.failure).toBeNull();
    expect(ended.heard.slice(-1)).toEqual(['An agent is here']);
  });

  it('keeps polling a hold loop, so an app that changes its answer (no REST call) moves the caller on', async () => {
    let ready = false;
    app.handle(() => (ready ? '<Response><Say>Your callback is confirmed</Say></Response>' : '<Response><Say>Still checking</Say><Pause length="2"/><Redirect>/voice</Redirect></Response>'));
    const sid = await startCall({ holdMsPerSecond: 20 });
    await app.waitFor('/voice', 4, 5000);
    ready = true;
    const ended = await client.callEnded(sid);
    expect(ended.heard.at(-1)).toBe('Your callback is confirmed');
    expect(ended.failure).toBeNull();
  });

  it('hangs up for the caller when nobody comes within their patience', async () => {
    app.handle(() => '<Response><Play loop="0">https://example.com/music.mp3</Play></Response>');
    const sid = await startCall({ holdPatienceMs: 100 });
    const ended = await client.callEnded(sid);
    expect(ended).toMatchObject({ status: 'completed', failure: null });
    expect(ended.lines.join('\n')).toContain('hangup (caller)');
  });

  it('rejects an inbound call with <Reject reason="busy"> without answering it', async () => {
    app.handle(() => '<Response><Reject reason="busy"/></Response>');
    const ended = await client.callEnded(await startCall());
    expect(ended.status).toBe('busy');
    expect(ended.lines.join('\n')).not.toContain('status in-progress');
    expect((await app.waitFor('/status'))[0].params).toMatchObject({ CallStatus: 'busy', CallDuration: '0' });
  });

  it('answers an inbound call whose app fails, so the caller hears the apology; an empty response just completes', async () => {
    app.handle(() => ({ status: 503, body: 'down for maintenance' }));
    const failed = await client.callEnded(await startCall());
    expect(failed).toMatchObject({ status: 'completed', heard: ['We are sorry, an application error has occurred. Goodbye.'] });
    expect(failed.failure).toMatch(/^11200: HTTP retrieval failure: POST .*\/voice answered 503: down for maintenance/);

    app.handle(() => '<Response/>');
    const empty = await client.callEnded(await startCall());
    expect(empty).toMatchObject({ status: 'completed', heard: [], failure: null, durationSeconds: 0 });
  });

  it('requests the queue’s wait URL turn after turn with the growing QueueTime, until it answers <Leave>', async () => {
    app.handle((req) => {
      if (req.path === '/voice') return '<Response><Enqueue waitUrl="/wait" action="/after-queue">support</Enqueue></Response>';
      if (req.path === '/wait') return Number(req.params.QueueTime) >= 20 ? '<Response><Leave/></Response>' : '<Response><Say>You are caller number one</Say><Pause length="5"/></Response>';
      return `<Response><Say>Queue result ${req.params.QueueResult}</Say></Response>`;
    });
    const started = Date.now();
    const ended = await client.callEnded(await startCall({ holdMsPerSecond: 10 }));
    expect(app.to('/wait').map((r) => r.params.QueueTime)).toEqual(['0', '7', '14', '21']);
    expect(app.to('/after-queue')[0].params).toMatchObject({ QueueResult: 'leave', QueueTime: '21' });
    expect(ended.heard.at(-1)).toBe('Queue result leave');
    expect(Date.now() - started).toBeGreaterThanOrEqual(21 * 10);
  });
});
