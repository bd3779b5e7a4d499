import { startSimulator, type Simulator } from '../../simulator';
import { SimTestClient } from '../../testing/sim-test-client';
import { WebhookRecorder } from '../../testing/webhook-recorder';

describe('telephony-sim control API (/sim)', () => {
  let sim: Simulator;
  let client: SimTestClient;
  let app: WebhookRecorder;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    client = new SimTestClient(sim);
    app = await new WebhookRecorder(() => '<Response><Play loop="0">https://example.com/m.mp3</Play></Response>').start();
  });
  afterAll(async () => {
    await sim.close();
    await app.stop();
  });

  it('says which fields are wrong', async () => {
    const res = await client.control<{ error: string; issues: string[] }>('POST', '/sim/calls', { from: '12', to: '+15550100001', script: { presses: ['x'] } });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^from: /), expect.stringMatching(/^script\.presses\.0/)]));
    const phone = await client.control('PUT', '/sim/phones/5551234', { answer: 'busy' });
    expect(phone).toMatchObject({ status: 400, body: { error: expect.stringContaining('not an E.164 number') } });
    const account = await client.control('POST', '/sim/accounts', { sid: 'AC123' });
    expect(account.status).toBe(400);
  });

  it('answers 404 for a number nobody owns, and 408 with the call when waiting runs out', async () => {
    const missing = await client.control('POST', '/sim/calls', { from: '+15550100002', to: '+15550100003' });
    expect(missing).toMatchObject({ status: 404, body: { error: expect.stringContaining('no simulated number +15550100003') } });

    const acct = await client.account();
    await client.number(acct.sid, '+15550100004', { voiceUrl: `${app.url}/voice` });
    // The call plays forever, so waiting always runs out; the limit leaves a loaded machine time to answer the call.
    const held = await client.control<{ call: { sid: string; status: string } }>('POST', '/sim/calls', { from: '+15550100005', to: '+15550100004', wait: true, timeoutMs: 2000 });
    expect(held.status).toBe(408);
    expect(held.body.call.status).toBe('in-progress');
    expect((await client.control('POST', `/sim/calls/${held.body.call.sid}/hangup`)).status).toBe(202);
    expect((await client.callEnded(held.body.call.sid)).status).toBe('completed');
  });

  it('creates accounts and numbers as asked, again idempotently, but never another owner’s', async () => {
    const sid = `AC${'b'.repeat(32)}`;
    const acct = await client.account({ sid, token: 'a-token-of-my-own', cps: 3 });
    expect(acct).toEqual({ sid, token: 'a-token-of-my-own', cps: 3, mps: 10 });
    expect(await client.control('POST', '/sim/accounts', { sid, token: 'a-token-of-my-own', cps: 5 })).toEqual({ status: 200, body: { sid, token: 'a-token-of-my-own', cps: 5, mps: 10 } });
    expect((await client.control('POST', '/sim/accounts', { sid, token: 'someone-elses' })).status).toBe(409);

    await client.number(sid, '+15550100006');
    const again = await client.control('POST', '/sim/numbers', { accountSid: sid, phoneNumber: '+15550100006', voiceUrl: 'http://127.0.0.1:1/v2' });
    expect(again).toMatchObject({ status: 200, body: { voice_url: 'http://127.0.0.1:1/v2' } });
    const other = await client.account();
    const taken = await client.control('POST', '/sim/numbers', { accountSid: other.sid, phoneNumber: '+15550100006' });
    expect(taken).toMatchObject({ status: 409, body: { error: expect.stringContaining('not available') } });
  });
});
