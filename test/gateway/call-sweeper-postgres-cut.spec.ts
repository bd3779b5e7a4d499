import { activeCallsKey, pendingCallRecordKey } from '@ringflow/session';
import type { TestTenant } from './support/gateway-harness';
import { startSweeperHarness, type SweeperHarness } from './support/sweeper-harness';

const CARD = '4111111111111111';
const cardThenMenu = {
  schemaVersion: 1, name: 'Card', start: 'card',
  nodes: {
    card: {
      type: 'input', prompts: [{ kind: 'say', text: 'Enter your card number.' }], minDigits: 16, maxDigits: 16, luhn: true, sensitive: true,
      next: { valid: 'menu', 'no-input': 'card', invalid: 'card' },
    },
    menu: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 1.' }], options: [{ key: '1', next: 'menu' }], next: { 'no-input': 'menu', invalid: 'menu' } },
  },
};

/** The final status callback arrives while the gateway's Postgres is cut (a relay in front of it; the cluster keeps running). */
describe('a call that ends during a Postgres outage', () => {
  let h: SweeperHarness;
  let t: TestTenant;

  beforeAll(async () => {
    h = await startSweeperHarness({ sweepIntervalSeconds: 1, postgresRelay: true });
    t = await h.tenant('Outage Bank', '+14155550311', cardThenMenu, true);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('gets its call record once Postgres is back, exactly once, without the card digits', async () => {
    const callSid = await h.dial('+15557770011', t.number);
    await h.waitFor('the call in the active list', async () => (await h.activeCalls(t)).includes(callSid));
    await h.press(callSid, `${CARD}#`);
    await h.waitFor('the menu', async () => ((await h.simClient.control<{ heard: string[] }>('GET', `/sim/calls/${callSid}`)).body.heard ?? []).includes('Press 1.'));

    h.cutter!.cut();
    expect((await h.hangUp(callSid)).status).toBe('completed');
    // Twilio's final callback was answered; Postgres refused the record, so it waits in Redis (no card digits there).
    const waiting = await h.waitFor('the record waiting in Redis', () => h.gw.redis.get(pendingCallRecordKey(t.tenantId, callSid)).then((v) => v ?? undefined));
    expect(waiting).not.toContain(CARD);
    expect(JSON.parse(waiting)).toMatchObject({ callSid, outcome: 'completed', nodePath: expect.arrayContaining(['card', 'menu']) });
    expect(await h.gw.redis.zscore(activeCallsKey(t.tenantId), callSid)).toBeNull();
    await new Promise((r) => setTimeout(r, 2500));
    expect(await h.records(t, callSid)).toEqual([]);

    h.cutter!.restore();
    const rows = await h.waitFor('the call record', async () => {
      const found = await h.records(t, callSid);
      return found.length > 0 && found;
    });
    expect(rows).toEqual([expect.objectContaining({ outcome: 'completed', nodePath: expect.arrayContaining(['card', 'menu']) })]);
    expect(JSON.stringify(rows)).not.toContain(CARD);
    expect(await h.gw.redis.exists(pendingCallRecordKey(t.tenantId, callSid))).toBe(0);
    expect(await h.activeCalls(t)).not.toContain(callSid);

    await h.sweeper.sweepOnce();
    expect(await h.records(t, callSid)).toEqual(rows);
    expect(h.logs.some((line) => line.includes(callSid) && line.includes('call record kept in Redis until Postgres takes it'))).toBe(true);
    expect(h.logs.filter((line) => line.includes(CARD))).toEqual([]);
  });
});
