import { startSimulator, type Simulator } from '../../simulator';
import { type SimAccountCredentials, SimTestClient } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';

const NUMBER = '+15550300001';
const CALLER = '+15550311111';

type CallView = { sid: string; status: string; heard: string[]; lines: string[]; failure: string | null; durationSeconds: number };

describe('telephony-sim: inbound calls follow TwiML like Twilio', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;
  let acct: SimAccountCredentials;

  const call = async (script: Record<string, unknown> = {}): Promise<CallView> => {
    const res = await client.control<CallView>('POST', '/sim/calls', { from: CALLER, to: NUMBER, script, wait: true });
    expect(res.status).toBe(201);
    return res.body;
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
    await client.number(acct.sid, NUMBER, { voiceUrl: `${app.url}/voice?tenant=acme`, statusCallback: `${app.url}/status` });
    app.requests.length = 0;
  });
  afterEach(() => client.control('POST', '/sim/reset'));

  it('posts the Voice URL with Twilio’s parameters and signature, and records what is heard', async () => {
    app.handle(() => '<Response><Say>Welcome to Acme</Say><Play>https://cdn.example.com/jingle.mp3</Play><Pause length="3"/><Say>Goodbye</Say></Response>');
    const result = await call();
    expect(result.heard).toEqual(['Welcome to Acme', '[play https://cdn.example.com/jingle.mp3]', 'Goodbye']);
    expect(result).toMatchObject({ status: 'completed', durationSeconds: 2 + 5 + 3 + 1, failure: null });
    const [voice] = app.to('/voice');
    expect(voice.params).toMatchObject({ From: CALLER, To: NUMBER, Caller: CALLER, Called: NUMBER, Direction: 'inbound', CallStatus: 'ringing', AccountSid: acct.sid, CallSid: result.sid });
    expect(voice.url).toBe(`${app.url}/voice?tenant=acme`);
    expect(WebhookRecorder.signedWith(acct.token, voice)).toBe(true);
    expect(WebhookRecorder.signedWith('another-token', voice)).toBe(false);
    const [status] = await app.waitFor('/status');
    expect(status.params).toMatchObject({ CallStatus: 'completed', CallDuration: '11', StatusCallbackEvent: 'completed', CallSid: result.sid });
    expect(WebhookRecorder.signedWith(acct.token, status)).toBe(true);
  });

  it('answers <Gather> with scripted keys, after the prompt or over it, and posts Digits to the action', async () => {
    app.handle((req) => {
      if (req.path === '/voice') return '<Response><Gather numDigits="1" action="/menu"><Say>For sales press 1</Say><Say>For support press 2</Say></Gather><Say>We did not get that</Say></Response>';
      return `<Response><Say>You chose ${req.params.Digits}</Say></Response>`;
    });
    const after = await call({ presses: ['2'] });
    expect(after.heard).toEqual(['For sales press 1', 'For support press 2', 'You chose 2']);
    expect(app.to('/menu')[0].params).toMatchObject({ Digits: '2' });
    expect(WebhookRecorder.signedWith(acct.token, app.to('/menu')[0])).toBe(true);

    const over = await call({ presses: [{ digits: '1', duringPrompt: true }] });
    expect(over.heard).toEqual(['For sales press 1', 'You chose 1']);
    expect(over.lines.join('\n')).toContain('hears "For sales press 1" (interrupted by a key)');

    const none = await call({ presses: [null] });
    expect(none.heard).toEqual(['For sales press 1', 'For support press 2', 'We did not get that']);
  });

  it('stops input at finishOnKey, and posts an empty result only with actionOnEmptyResult', async () => {
    app.handle((req) => {
      if (req.path === '/voice') return '<Response><Gather finishOnKey="#" action="/pin"><Say>Enter your PIN then hash</Say></Gather><Gather actionOnEmptyResult="true" action="/empty" timeout="3"/></Response>';
      return '<Response><Hangup/></Response>';
    });
    await call({ presses: ['4417#9'] });
    expect(app.to('/pin')[0].params).toMatchObject({ Digits: '4417', FinishedOnKey: '#' });
    await call({ presses: [''] });
    expect(app.to('/empty')[0].params).toMatchObject({ Digits: '' });
  });

  it('follows <Redirect> (relative URL, GET with query), <Hangup> and the end of the document', async () => {
    app.handle((req) => {
      if (req.path === '/voice') return '<Response><Say>One</Say><Redirect method="GET">step2?x=1</Redirect><Say>never heard</Say></Response>';
      if (req.path === '/step2') return '<Response><Say>Two</Say><Hangup/><Say>not heard either</Say></Response>';
      return '<Response/>';
    });
    const result = await call();
    expect(result.heard).toEqual(['One', 'Two']);
    const [step2] = app.to('/step2');
    expect(step2.method).toBe('GET');
    expect(step2.params).toMatchObject({ x: '1', CallSid: result.sid });
    expect(WebhookRecorder.signedWith(acct.token, step2)).toBe(true);
    expect(result.lines.some((l) => l.includes('hangup (twiml)'))).toBe(true);
  });

  it('dials numbers as their phones are scripted and reports the outcome to the Dial action', async () => {
    await client.control('PUT', `/sim/phones/${encodeURIComponent('+15550322222')}`, { answer: 'busy' });
    await client.control('PUT', `/sim/phones/${encodeURIComponent('+15550333333')}`, { answer: 'human', talkSeconds: 42 });
    app.handle((req) => {
      if (req.path === '/voice') return '<Response><Dial action="/dialed" timeout="15" record="record-from-answer"><Number>+15550322222</Number><Number>+15550333333</Number></Dial></Response>';
      return `<Response><Say>Dial said ${req.params.DialCallStatus}</Say></Response>`;
    });
    const result = await call();
    expect(result.heard).toEqual(['Dial said completed']);
    const dialed = app.to('/dialed')[0].params;
    expect(dialed).toMatchObject({ DialCallStatus: 'completed', DialCallDuration: '42', RecordingDuration: '42' });
    expect(sim.store.recordings.get(dialed.RecordingSid)).toMatchObject({ callSid: result.sid, durationSeconds: 42, source: 'DialVerb' });
    expect(result.lines.join('\n')).toMatch(/dials \+15550322222: busy[\s\S]*dials \+15550333333: answered by human, talked 42s/);
    const legs = await client.control<{ parentCallSid: string; status: string }[]>('GET', `/sim/calls?direction=outbound-dial`);
    expect(legs.body.map((l) => [l.parentCallSid, l.status])).toEqual([[result.sid, 'busy'], [result.sid, 'completed']]);
  });

  it('sends <Sms> during a call to the caller, and the caller hangs up when scripted', async () => {
    app.handle(() => '<Response><Say>Sending your code</Say><Sms>Your code is 7731</Sms><Pause length="60"/><Say>still there?</Say></Response>');
    const result = await call({ hangupAfterSeconds: 30 });
    expect(result.heard).toEqual(['Sending your code']);
    expect(result.durationSeconds).toBe(30);
    expect(result.lines.join('\n')).toContain('hangup (caller)');
    const inbox = await client.control<{ body: string; from: string; direction: string; status: string }[]>('GET', `/sim/messages?to=${encodeURIComponent(CALLER)}`);
    expect(inbox.body).toEqual([expect.objectContaining({ from: NUMBER, body: 'Your code is 7731', direction: 'outbound-call', status: 'delivered' })]);
  });

  it('makes the outside system’s request when the caller hears a phrase, before the call goes on', async () => {
    app.handle((req) => {
      if (req.path === '/voice') return '<Response><Say>Please hold while we check</Say><Redirect>/after</Redirect></Response>';
      if (req.path === '/crm') return { status: 204, body: '' };
      return '<Response><Say>Checked</Say></Response>';
    });
    const result = await call({ onHeard: [{ heard: 'please hold', request: { method: 'PATCH', url: `${app.url}/crm`, body: { variables: { vip: true } } } }] });
    expect(result.heard).toEqual(['Please hold while we check', 'Checked']);
    expect(app.requests.map((r) => r.path)).toEqual(['/voice', '/crm', '/after', '/status']);
    expect(result.lines.join('\n')).toContain(`outside system PATCH ${app.url}/crm -> 204`);
  });

  it('bridges a caller waiting in a queue when another call dials that queue', async () => {
    app.handle((req) => {
      if (req.path === '/voice' && req.params.From === CALLER) return '<Response><Enqueue action="/left">help</Enqueue></Response>';
      if (req.path === '/voice') return '<Response><Dial><Queue>help</Queue></Dial></Response>';
      return '<Response/>';
    });
    const waiting = await client.control<CallView>('POST', '/sim/calls', { from: CALLER, to: NUMBER });
    for (let i = 0; i < 100 && !sim.store.queueByName(acct.sid, 'help')?.members.length; i++) await new Promise((r) => setTimeout(r, 10));
    const agent = await client.control<CallView>('POST', '/sim/calls', { from: '+15550344444', to: NUMBER, script: { talkSeconds: 25 }, wait: true });
    expect(agent.body.lines.join('\n')).toContain(`bridged with ${waiting.body.sid} from queue "help", talked 25s`);
    const caller = await client.callEnded(waiting.body.sid);
    expect(caller.lines.join('\n')).toContain(`waits in queue "help": bridged with ${agent.body.sid}`);
  });
});
