import { randomBytes } from 'node:crypto';
import { queuePrefix } from '@ringflow/queue';
import { startSimulator, type Simulator } from '../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import { startGateways, type GatewayHarness } from '../gateway/support/gateway-harness';
import { SignedCall } from '../gateway/support/signed-call';
import { spoken } from '../gateway/support/twiml-reader';

const textOnKey = {
  schemaVersion: 1, name: 'Text me', start: 'offer',
  nodes: {
    offer: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 1 for a text.' }], options: [{ key: '1', next: 'send' }], next: { 'no-input': 'bye', invalid: 'bye' } },
    send: { type: 'sms', body: 'Here is your text.', next: { sent: 'sent', failed: 'unsent' } },
    sent: { type: 'say', text: 'Sent.', next: 'bye' },
    unsent: { type: 'say', text: 'We could not text you.', next: 'bye' },
    bye: { type: 'hangup' },
  },
};

describe("the flow's sms node when Twilio answers 429", () => {
  let gw: GatewayHarness;
  let sim: Simulator;
  let simClient: SimTestClient;
  const namespace = `test-flow-sms-${randomBytes(4).toString('hex')}`;
  const previousApiBase = process.env.TWILIO_API_BASE_URL;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    simClient = new SimTestClient(sim);
    process.env.TWILIO_API_BASE_URL = sim.url;
    gw = await startGateways(1, { QUEUE_NAMESPACE: namespace });
  });
  afterAll(async () => {
    const keys = await gw.redis.keys(`${queuePrefix(namespace)}*`);
    if (keys.length) await gw.redis.del(...keys);
    await gw.close();
    await sim.close();
    if (previousApiBase === undefined) delete process.env.TWILIO_API_BASE_URL;
    else process.env.TWILIO_API_BASE_URL = previousApiBase;
  });

  /** Twilio answers this account's Messages.create with 429 (the simulator's fault injection), refusing the message. */
  async function refuseMessages(accountSid: string, fault: { times?: number; forMs?: number; retryAfterSeconds?: number }): Promise<string> {
    const added = await simClient.control<{ id: string }>('POST', '/sim/faults', { status: 429, method: 'POST', path: '^/Messages\\.json$', accountSid, ...fault });
    expect(added.status).toBe(201);
    return added.body.id;
  }

  async function hitsOf(id: string): Promise<number> {
    const faults = (await simClient.control<Array<{ id: string; hits: number }>>('GET', '/sim/faults')).body;
    return faults.find((f) => f.id === id)?.hits ?? -1;
  }

  it('retries while the caller can wait, and the caller hears that the text was sent; it arrives once', async () => {
    const t = await gw.tenantWithFlow('Busy shop', '+14155550171', textOnKey);
    await simClient.account({ sid: t.accountSid, token: t.authToken });
    await simClient.number(t.accountSid, t.number);
    const caller = '+12025550146';
    const call = new SignedCall([gw.url], t, caller);
    await call.start();

    // Twilio refuses the first try with 429 and "Retry-After: 1": the send waits that second, then goes.
    const fault = await refuseMessages(t.accountSid, { times: 1, retryAfterSeconds: 1 });
    const pressedAt = Date.now();
    const heard = spoken(await call.press('1'));
    const waited = Date.now() - pressedAt;

    expect(heard).toEqual(['Sent.']);
    expect(await hitsOf(fault)).toBe(1);
    expect(waited).toBeGreaterThanOrEqual(1000);
    const inbox = (await simClient.control<Array<{ from: string; body: string }>>('GET', `/sim/messages?to=${encodeURIComponent(caller)}`)).body;
    expect(inbox).toEqual([expect.objectContaining({ from: t.number, body: 'Here is your text.' })]);
  });

  it('takes the failed branch when the 429s outlast what the caller can wait', async () => {
    const t = await gw.tenantWithFlow('Very busy shop', '+14155550173', textOnKey);
    await simClient.account({ sid: t.accountSid, token: t.authToken });
    await simClient.number(t.accountSid, t.number);
    const caller = '+12025550147';
    const call = new SignedCall([gw.url], t, caller);
    await call.start();

    // Every try is refused for longer than a caller can be kept waiting.
    const fault = await refuseMessages(t.accountSid, { forMs: 30_000 });
    expect(spoken(await call.press('1'))).toEqual(['We could not text you.']);
    expect(await hitsOf(fault)).toBeGreaterThanOrEqual(2);
    await simClient.control('DELETE', `/sim/faults/${fault}`);
    expect((await simClient.control<unknown[]>('GET', `/sim/messages?to=${encodeURIComponent(caller)}`)).body).toEqual([]);
  });
});
