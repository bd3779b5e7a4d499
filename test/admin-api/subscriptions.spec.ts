import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client as PgClient } from 'pg';
import { initialState, validateFlow, type Flow } from '@ringflow/flow';
import { type CallSession, CallSessionStore } from '@ringflow/session';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../apps/admin-api/src/subscription/subscription-server';
import { KEY_RECHECK_MS } from '../../apps/admin-api/src/subscription/key-recheck';
import { openFeedCount } from '../../apps/admin-api/src/subscription/polling-feed';
import { startAdminApi } from '../support/admin-api-harness';
import { liveClient, watch } from './support/live-client';

const PROGRESS = 'subscription($id: ID!) { campaignProgress(id: $id) { id status progress { contacts pending done dispositions { disposition count } } } }';
const CALLS = 'subscription { activeCalls { callSid direction caller number queued } }';

const flow = (validateFlow({ schemaVersion: 1, name: 'f', start: 'a', nodes: { a: { type: 'say', text: 'hi', next: 'z' }, z: { type: 'hangup' } } }) as { flow: Flow }).flow;

function inboundCall(tenantId: string): CallSession {
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const now = new Date().toISOString();
  return {
    tenantId, callSid, flowId: null, flowVersion: null,
    system: { caller: '+14155550142', called: '+14155550100', callSid, direction: 'inbound', tenant: tenantId },
    state: initialState(flow), pendingVars: {}, seq: 0, lastAnswer: null, hold: null, startedAt: now, updatedAt: now, endedAt: null,
  };
}

describe('live campaign progress and active calls over graphql-ws', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let tenantId: string;
  let keys: { admin: string; marketer: string; analyst: string; merchant: string; otherMarketer: string };
  let campaignId: string;
  let redis: Redis;
  const clients: ReturnType<typeof liveClient>[] = [];
  const open = (key: string | undefined) => {
    const live = liveClient(api.url, key);
    clients.push(live);
    return live;
  };

  beforeAll(async () => {
    api = await startAdminApi();
    const a = await api.tenantWithAdmin('Live Latte');
    tenantId = a.tenantId;
    const b = await api.tenantWithAdmin('Other Roastery');
    keys = {
      admin: a.adminKey,
      marketer: (await api.keyFor(a.adminKey, 'MARKETER')).secret,
      analyst: (await api.keyFor(a.adminKey, 'ANALYST')).secret,
      merchant: (await api.keyFor(a.adminKey, 'MERCHANT')).secret,
      otherMarketer: (await api.keyFor(b.adminKey, 'MARKETER')).secret,
    };
    const list = await api.gql(keys.marketer, 'mutation { createContactList(name: "Live") { id } }');
    const listId = list.data!.createContactList.id;
    await api.gql(keys.marketer, 'mutation($l: ID!, $csv: String) { importContacts(listId: $l, csv: $csv) { imported } }', {
      l: listId, csv: 'phone\n+14155550101\n+14155550102\n+14155550103',
    });
    const created = await api.gql(keys.marketer, 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { name: 'Live push', listId, callerId: '+14155550100', answerUrl: 'https://crm.example/answer', callsPerSecond: 1, maxConcurrentCalls: 1 },
    });
    campaignId = created.data!.createCampaign.id;
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await Promise.all(clients.map(({ client }) => client.dispose()));
    redis.disconnect();
    await api.close();
  });

  it('a marketer sees the campaign now, then its counts change as a contact is disposed and the campaign is cancelled', async () => {
    const live = watch(open(keys.marketer).client, PROGRESS, { id: campaignId });
    expect(await live.next('the draft', () => true)).toEqual({
      campaignProgress: { id: campaignId, status: 'DRAFT', progress: { contacts: 0, pending: 0, done: 0, dispositions: [] } },
    });

    await api.gql(keys.marketer, 'mutation($id: ID!) { launchCampaign(id: $id) { status } }', { id: campaignId });
    await live.next('the launch', (e) => e.campaignProgress.status === 'RUNNING' && e.campaignProgress.progress.pending === 3);

    // The dialer's worker records one contact's outcome, as it does when a call ends.
    const pg = new PgClient({ connectionString: api.database.adminUrl });
    await pg.connect();
    await pg.query(
      `UPDATE campaign_contacts SET state = 'done', disposition = 'human'
        WHERE campaign_id = $1 AND contact_id = (SELECT contact_id FROM campaign_contacts WHERE campaign_id = $1 ORDER BY contact_id LIMIT 1)`,
      [campaignId],
    );
    await pg.end();
    const answered = await live.next('one contact answered', (e) => e.campaignProgress.progress.done === 1);
    expect(answered.campaignProgress).toEqual({
      id: campaignId, status: 'RUNNING', progress: { contacts: 3, pending: 2, done: 1, dispositions: [{ disposition: 'human', count: 1 }] },
    });

    await api.gql(keys.marketer, 'mutation($id: ID!) { cancelCampaign(id: $id) { status } }', { id: campaignId });
    const cancelled = await live.next('the cancellation', (e) => e.campaignProgress.status === 'CANCELLED');
    expect(cancelled.campaignProgress.progress).toEqual({
      contacts: 3, pending: 0, done: 3, dispositions: [{ disposition: 'cancelled', count: 2 }, { disposition: 'human', count: 1 }],
    });
    // Only changes are sent: the unchanged seconds in between produced no events.
    expect(live.events.map((e) => `${e.campaignProgress.status}/${e.campaignProgress.progress.done}`))
      .toEqual(['DRAFT/0', 'RUNNING/0', 'RUNNING/1', 'CANCELLED/3']);
    live.stop();
  });

  it('an analyst sees calls appear and go as sessions start and end, numbers masked', async () => {
    const live = watch(open(keys.analyst).client, CALLS);
    expect(await live.next('no calls yet', () => true)).toEqual({ activeCalls: [] });

    const store = new CallSessionStore(redis);
    const call = inboundCall(tenantId);
    const created = await store.create(call);
    const seen = live.events.length;
    expect(await live.next('the call', (e) => e.activeCalls.length === 1)).toEqual({
      activeCalls: [{ callSid: call.callSid, direction: 'INBOUND', caller: '+1415*****42', number: '+14155550100', queued: false }],
    });
    // Another tenant's call on the same Redis is not shown.
    const elsewhere = inboundCall('00000000-0000-4000-8000-00000000abcd');
    await store.create(elsewhere);

    await store.replace(created!.version, { ...call, endedAt: new Date().toISOString() });
    await store.replace(1, { ...elsewhere, endedAt: new Date().toISOString() });
    await live.next('the call ended', (e) => e.activeCalls.length === 0, seen);
    expect(live.events.map((e) => e.activeCalls.length)).toEqual([0, 1, 0]);
    live.stop();
  });

  it("another tenant's campaign is NOT_FOUND; a merchant key is FORBIDDEN", async () => {
    const other = watch(open(keys.otherMarketer).client, PROGRESS, { id: campaignId });
    await other.ended();
    expect(other.events).toEqual([]);
    expect(other.errors).toEqual([expect.objectContaining({ message: `campaign ${campaignId} not found`, extensions: { code: 'NOT_FOUND', field: 'campaignId' } })]);

    const merchant = watch(open(keys.merchant).client, CALLS);
    await merchant.ended();
    expect(merchant.events).toEqual([]);
    expect(merchant.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('who may subscribe: ADMIN, MARKETER and ANALYST; the operator and MERCHANT keys are FORBIDDEN', async () => {
    const callers = { operator: api.operatorKey, ADMIN: keys.admin, MARKETER: keys.marketer, ANALYST: keys.analyst, MERCHANT: keys.merchant };
    const allowed = ['ADMIN', 'MARKETER', 'ANALYST'];
    for (const [caller, key] of Object.entries(callers)) {
      const { client } = open(key);
      for (const [query, variables] of [[PROGRESS, { id: campaignId }], [CALLS, undefined]] as const) {
        const sub = watch(client, query, variables);
        if (allowed.includes(caller)) {
          await sub.next(`${caller}: an answer`, () => true);
          expect([caller, sub.errors]).toEqual([caller, []]);
          sub.stop();
        } else {
          await sub.ended();
          expect([caller, sub.events, sub.errors.map((e) => e.extensions?.code)]).toEqual([caller, [], ['FORBIDDEN']]);
        }
      }
    }
  });

  it('a key revoked while its connection is open starts no other subscription, and its running one ends (UNAUTHENTICATED)', async () => {
    const key = await api.keyFor(keys.admin, 'ANALYST');
    const { client } = open(key.secret);
    const first = watch(client, CALLS);
    await first.next('an answer', () => true);
    await api.gql(keys.admin, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.id });
    const second = watch(client, CALLS);
    await second.ended();
    expect(second.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    // The running one ends at its next key check.
    await first.ended(KEY_RECHECK_MS + 5000);
    expect(first.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^API key was revoked at /), extensions: { code: 'UNAUTHENTICATED' } })]);
  }, KEY_RECHECK_MS + 10_000);

  it('a subscription sent as a POST is refused, not run', async () => {
    const posted = await api.gql(keys.analyst, CALLS);
    expect(posted.data).toBeUndefined();
    expect(posted.errors).toEqual([expect.objectContaining({
      message: 'subscriptions are served over WebSocket (graphql-ws) at this path, not over POST', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    })]);
  });

  it('a connection without a key, or with an unknown one, is refused (4403)', async () => {
    for (const key of [undefined, `rf_${'x'.repeat(40)}`]) {
      const live = open(key);
      const refused = watch(live.client, CALLS);
      await refused.ended();
      expect(refused.events).toEqual([]);
      expect(live.closes).toEqual([{ code: 4403, reason: 'Forbidden' }]);
    }
  });

  it(`holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection, serves no queries, and stops polling when the client goes`, async () => {
    const before = openFeedCount();
    const live = open(keys.analyst);
    const held = Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION }, () => watch(live.client, CALLS));
    for (const sub of held) await sub.next('an answer', () => true);
    expect(openFeedCount()).toBe(before + MAX_SUBSCRIPTIONS_PER_CONNECTION);

    const extra = watch(live.client, CALLS);
    await extra.ended();
    expect(extra.errors).toEqual([{ message: `a connection holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions; complete one first`, extensions: { code: 'BAD_USER_INPUT' } }]);

    held[0].stop();
    const again = watch(live.client, CALLS);
    expect(await again.next('a freed place', () => true)).toEqual({ activeCalls: [] });
    again.stop();

    const query = watch(live.client, '{ campaigns { edges { node { id } } } }');
    await query.ended();
    expect(query.errors.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    await live.client.dispose();
    const deadline = Date.now() + 3000;
    while (openFeedCount() !== before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(openFeedCount()).toBe(before);
  });
});
