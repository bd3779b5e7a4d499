import { startSimulator, type Simulator } from '../../simulator';
import { type SimAccountCredentials, SimTestClient } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';

const NUMBER = '+15550700001';
const PERSON = '+15550711111';

describe('telephony-sim: interactive calls (a person pressing keys in real time)', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;
  let acct: SimAccountCredentials;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimTestClient(sim);
    app = await new WebhookRecorder((req) =>
      req.path === '/voice'
        ? '<Response><Gather numDigits="2" timeout="2" action="/got"><Say>Enter the two digit code for your order now please</Say></Gather><Say>Nothing entered</Say></Response>'
        : `<Response><Say>You entered ${req.params.Digits}</Say><Play loop="0">https://example.com/music.mp3</Play></Response>`,
    ).start();
  });
  afterAll(async () => {
    await sim.close();
    await app.stop();
  });
  beforeEach(async () => {
    acct = await client.account();
    await client.number(acct.sid, NUMBER, { voiceUrl: `${app.url}/voice` });
  });
  afterEach(() => client.control('POST', '/sim/reset'));

  const waitForLine = async (sid: string, text: string) => {
    for (let i = 0; i < 300; i++) {
      const view = await client.control<{ lines: string[] }>('GET', `/sim/calls/${sid}`);
      if (view.body.lines.some((l) => l.includes(text))) return view.body.lines;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`never saw "${text}" on call ${sid}`);
  };

  it('plays the prompt in real time, stops it at the first key, and posts the keys pressed', async () => {
    const started = await client.control<{ sid: string }>('POST', '/sim/calls', { from: PERSON, to: NUMBER, script: { interactive: true } });
    const sid = started.body.sid;
    await waitForLine(sid, 'hears "Enter the two digit code');
    const before = Date.now();
    expect((await client.control('POST', `/sim/calls/${sid}/keys`, { digits: '4' })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 300));
    await client.control('POST', `/sim/calls/${sid}/keys`, { digits: '2' });
    await waitForLine(sid, 'hears "You entered 42"');
    expect(Date.now() - before).toBeLessThan(2000);
    expect(app.to('/got').at(-1)?.params.Digits).toBe('42');

    expect((await client.control('POST', `/sim/calls/${sid}/hangup`)).status).toBe(202);
    const ended = await client.callEnded(sid);
    expect(ended.lines.join('\n')).toMatch(/hears "Enter the two digit code for your order now please" \(interrupted by a key\)[\s\S]*presses "42" \(num-digits\)[\s\S]*hangup \(caller\)/);
    expect((await client.control('POST', `/sim/calls/${sid}/keys`, { digits: '1' })).status).toBe(409);
  });

  it('ends input on the finish key; with no digits the call goes on past the Gather', async () => {
    const started = await client.control<{ sid: string }>('POST', '/sim/calls', { from: PERSON, to: NUMBER, script: { interactive: true, hangupAfterSeconds: 60 } });
    await waitForLine(started.body.sid, 'hears "Enter the two digit code');
    await client.control('POST', `/sim/calls/${started.body.sid}/keys`, { digits: '#' });
    const ended = await client.callEnded(started.body.sid);
    expect(ended.heard).toEqual(['Enter the two digit code for your order now please', 'Nothing entered']);
  });
});
