import { WaitingCallersStore } from '@ringflow/pull-queue';
import { PUBLIC_BASE_URL, startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { postSigned, SignedCall } from './support/signed-call';
import { readTwiml, spoken, verbs } from './support/twiml-reader';

const supportQueue = {
  schemaVersion: 1,
  name: 'Support queue',
  start: 'queue',
  nodes: {
    queue: {
      type: 'queue', queue: 'support', holdMessage: 'Thanks for waiting.', holdMusicUrl: 'https://cdn.example.com/hold.mp3', timeoutSeconds: 120,
      next: { answered: 'bye', voicemail: 'sorry', timeout: 'sorry' },
    },
    sorry: { type: 'say', text: 'Nobody is free right now. Goodbye.', next: 'bye' },
    bye: { type: 'hangup' },
  },
};

describe('a caller waiting in a queue', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    tenant = await gw.tenantWithFlow('Support', '+14155550130', supportQueue);
  });
  afterAll(() => gw.close());

  it('is enqueued with a signed hold page that plays the hold message until the timeout, then leaves', async () => {
    const call = new SignedCall([gw.url], tenant);
    await call.start();
    const [enqueue] = readTwiml(call.last.body);
    expect(enqueue).toMatchObject({ verb: 'Enqueue', text: 'support' });
    const holdPath = enqueue.attributes.waitUrl.slice(PUBLIC_BASE_URL.length);
    expect(holdPath).toBe(`/twilio/voice/hold/${tenant.tenantId}/${call.callSid}?s=1`);

    const base = { CallSid: call.callSid, AccountSid: tenant.accountSid, From: call.from, To: tenant.number };
    const early = await postSigned(gw.url, tenant.authToken, holdPath, { ...base, QueueTime: '30' });
    expect(spoken(early.body)).toEqual(['Thanks for waiting.']);
    expect(verbs(early.body)).toEqual(['Say', 'Play']);
    expect(verbs((await postSigned(gw.url, tenant.authToken, holdPath, { ...base, QueueTime: '120' })).body)).toEqual(['Leave']);
    expect((await postSigned(gw.url, 'f'.repeat(32), holdPath, { ...base, QueueTime: '0' })).status).toBe(403);

    const waiting = new WaitingCallersStore(gw.redis);
    expect(await waiting.get(tenant.tenantId, call.callSid)).toMatchObject({ queue: 'support', caller: call.from, state: 'waiting' });

    expect(spoken(await call.press(undefined, { QueueResult: 'leave', QueueTime: '120' }))).toEqual(['Nobody is free right now. Goodbye.']);
    expect(await waiting.get(tenant.tenantId, call.callSid)).toMatchObject({ state: 'timeout' });
  });
});
