import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CAMPAIGN_ENTITIES, CouponIssuerService } from '@ringflow/campaign';
import { AuditEntryEntity, TenantDatabase, TenantEntity, type TenantId } from '@ringflow/tenancy';
import { liveClient, watch } from '../admin-api/support/live-client';
import { startIsolatedAdminApi, type IsolatedAdminApi } from './support/admin-api';
import { inParallel, shapeOf, snapshot } from './support/sweep-helpers';
import {
  committedSchema, operationCall, operationsTakingIds, type IdOperation, type IdSlot, type Sample, type SweepTenant,
} from './support/graphql-sweep';

const FLOW = { schemaVersion: 1, name: 'Sweep', start: 'a', nodes: { a: { type: 'say', text: 'hi', next: 'z' }, z: { type: 'hangup' } } };

/** Values for the arguments that are not ids: valid, so that an answer is about the id and nothing else. */
const SAMPLES: Record<string, Sample> = {
  'BindNumberInput.number': (t: SweepTenant) => t.number,
  'CreateCampaignInput.callerId': (t: SweepTenant) => t.number,
  'CreateSmsCampaignInput.senderNumber': (t: SweepTenant) => t.number,
  'CreateCampaignInput.flowVersion': 1,
  'CreateApiKeyInput.role': 'ANALYST',
  'CreateMerchantUserInput.email': () => `sweep-${randomUUID().slice(0, 8)}@b.example`,
  'CreateMerchantUserInput.password': 'a long enough password',
  'CreateCallQueueInput.name': () => `sweep-${randomUUID().slice(0, 8)}`,
  version: 1,
  document: FLOW,
  csv: 'phone\n+14155550177',
  enabled: false,
  name: 'Sweep',
  callsPerSecond: 1,
  maxConcurrentCalls: 1,
  messagesPerSecond: 1,
  template: 'Hello',
};

describe("every GraphQL operation that takes an id, called by tenant B's admin with tenant A's ids", () => {
  let api: IsolatedAdminApi;
  let owner: Client;
  let dataSource: DataSource;
  const tenants: Record<'a' | 'b', SweepTenant> = {} as never;
  const schema = committedSchema();
  const operations = operationsTakingIds(schema);
  const exercised = new Set<string>();

  /** One tenant with one of every kind of thing an id can name, made over the API as its admin would. */
  async function seed(name: string, number: string, agentPhone: string): Promise<SweepTenant> {
    const created = await api.must(api.operatorKey, 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }', { i: { name } });
    const tenantId = created.createTenant.id as string;
    const adminKey = (await api.must(api.operatorKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
      i: { tenantId, name: 'admin', role: 'ADMIN' },
    })).createApiKey.secret as string;
    const made = await api.must(adminKey, `mutation($doc: JSON!, $num: String!, $agent: String!) {
      n: addPhoneNumber(input: { number: $num }) { id }
      f: createFlow(document: $doc) { flow { id } }
      l: createContactList(name: "List") { id }
      p: createPromotion(input: { name: "P", offer: "Tea", discount: "5%", validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-12-01T00:00:00Z" }) { id }
      m: createMerchant(input: { name: "Shop" }) { id }
      ag: createAgent(input: { name: "Agent", phone: $agent }) { id }
      w: createWebhookEndpoint(input: { url: "https://hooks.example/in", events: ["coupon.redeemed"] }) { endpoint { id } }
      mk: createApiKey(input: { name: "till", role: MERCHANT }) { apiKey { id } }
      k: createApiKey(input: { name: "reader", role: ANALYST }) { apiKey { id } }
    }`, { doc: FLOW, num: number, agent: agentPhone });
    const ids: Record<string, string> = {
      tenant: tenantId, phoneNumber: made.n.id, flow: made.f.flow.id, contactList: made.l.id, promotion: made.p.id, merchant: made.m.id,
      agent: made.ag.id, webhookEndpoint: made.w.endpoint.id, merchantApiKey: made.mk.apiKey.id, apiKey: made.k.apiKey.id,
    };
    const more = await api.must(adminKey, `mutation($f: ID!, $l: ID!, $m: ID!, $ag: ID!, $email: String!) {
      v: publishFlow(id: $f) { version { version } }
      i: importContacts(listId: $l, csv: "phone\\n+14155550111\\n+14155550112") { imported }
      u: createMerchantUser(input: { merchantId: $m, email: $email, password: "a long enough password" }) { id }
      q: createCallQueue(input: { name: "front", agentIds: [$ag] }) { id }
    }`, { f: ids.flow, l: ids.contactList, m: ids.merchant, ag: ids.agent, email: `clerk@${number.slice(1)}.example` });
    ids.callQueue = more.q.id;
    const campaigns = await api.must(adminKey, `mutation($c: CreateCampaignInput!, $s: CreateSmsCampaignInput!) {
      c: createCampaign(input: $c) { id }
      s: createSmsCampaign(input: $s) { id }
    }`, {
      c: { name: 'Calls', listId: ids.contactList, callerId: number, flowId: ids.flow, flowVersion: 1, callsPerSecond: 1, maxConcurrentCalls: 1 },
      s: { name: 'Texts', listId: ids.contactList, senderNumber: number, messagesPerSecond: 1, template: 'Hi' },
    });
    ids.campaign = campaigns.c.id;
    ids.smsCampaign = campaigns.s.id;
    // A coupon of the campaign and promotion (so that a leaking funnel or coupon search would show counts), and a dead delivery.
    await new CouponIssuerService(new TenantDatabase(dataSource)).issue(tenantId as TenantId, {
      promotionId: ids.promotion, phone: '+14155550111', issueKey: `sweep-${tenantId}`, campaignId: ids.campaign,
    });
    const { rows } = await owner.query(
      `INSERT INTO webhook_deliveries (tenant_id, endpoint_id, event_type, event_key, payload, status, attempts)
       VALUES ($1, $2, 'coupon.redeemed', 'evt-1', '{}', 'dead', 8) RETURNING id`,
      [tenantId, ids.webhookEndpoint],
    );
    ids.webhookDelivery = rows[0].id;
    // The counters worker-redemptions keeps for the funnel.
    await owner.query(`INSERT INTO funnel_counters (tenant_id, promotion_id, campaign_id, issued, sent) VALUES ($1, $2, $3, 1, 1)`, [
      tenantId, ids.promotion, ids.campaign,
    ]);
    return { key: adminKey, number, ids };
  }

  beforeAll(async () => {
    api = await startIsolatedAdminApi();
    owner = new Client({ connectionString: api.database.adminUrl });
    await owner.connect();
    dataSource = await new DataSource({
      type: 'postgres', url: api.database.appUrl, poolSize: 2, entities: [TenantEntity, AuditEntryEntity, ...CAMPAIGN_ENTITIES],
    }).initialize();
    tenants.a = await seed('Tenant A', '+14155550101', '+14155550131');
    tenants.b = await seed('Tenant B', '+14155550102', '+14155550132');
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await owner?.end();
    await api?.close();
  });

  /** Calls one operation as B with each slot's id chosen by `pick`; subscriptions over the websocket. */
  async function callAsB(operation: IdOperation, pick: (slot: IdSlot) => string): Promise<unknown> {
    const { query, variables } = operationCall(operation, SAMPLES, tenants.b, pick);
    if (operation.kind !== 'subscription') {
      const { status, data, errors } = await api.gql(tenants.b.key, query, variables);
      return { status, data, errors: errors?.map((e) => ({ message: e.message, code: e.extensions?.code, field: e.extensions?.field })) };
    }
    const { client } = liveClient(api.url, tenants.b.key);
    const live = watch(client, query, variables);
    const deadline = Date.now() + 5000;
    while (!live.events.length && !live.errors.length && !live.completed && live.failure === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    live.stop();
    await client.dispose();
    return { events: live.events, errors: live.errors.map((e) => ({ message: e.message, code: e.extensions?.code })) };
  }

  it('finds the operations that take ids in the schema (a new one is swept without an edit here)', () => {
    const names = operations.map((o) => o.name);
    // A floor, not the list: the sweep below reads the list from the schema.
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(names).toEqual(expect.arrayContaining(['campaign', 'flowVersion', 'coupons', 'funnel', 'bindMerchantKey', 'createApiKey', 'campaignProgress']));
  });

  it("answers each with A's id exactly as with an id that does not exist, and changes nothing of A's", async () => {
    const before = await snapshot(owner, tenants.a.ids.tenant);
    const leaks: string[] = [];
    await inParallel(operations, async (operation) => {
      // One slot at a time is A's, the others B's own, so that each check is about that one id.
      for (const target of operation.slots) {
        const unknown = randomUUID();
        const own = (slot: IdSlot) => tenants.b.ids[slot.entity];
        const withA = await callAsB(operation, (slot) => (slot === target ? tenants.a.ids[slot.entity] : own(slot)));
        const withUnknown = await callAsB(operation, (slot) => (slot === target ? unknown : own(slot)));
        const a = shapeOf(withA, [tenants.a.ids[target.entity]]);
        const u = shapeOf(withUnknown, [unknown]);
        if (a !== u) leaks.push(`${operation.name}(${target.path.join('.')}): with A's id ${a}\n    with an unknown id ${u}`);
        exercised.add(`${operation.name}(${target.path.join('.')})`);
      }
    });
    expect(leaks).toEqual([]);
    expect(await snapshot(owner, tenants.a.ids.tenant)).toEqual(before);
    expect([...exercised].sort()).toEqual(operations.flatMap((o) => o.slots.map((s) => `${o.name}(${s.path.join('.')})`)).sort());
  });

  it("finds B's own ids with the same calls (the calls are valid: a refusal above is about the id)", async () => {
    // Destructive operations last, so that each control still finds what it names.
    const destructive = /^(remove|revoke|cancel)/;
    const notFound: string[] = [];
    const control = async (operation: IdOperation) => {
      for (const target of operation.slots) {
        const unknown = randomUUID();
        const own = (slot: IdSlot) => tenants.b.ids[slot.entity];
        const withUnknown = shapeOf(await callAsB(operation, (slot) => (slot === target ? unknown : own(slot))), [unknown]);
        const withOwn = shapeOf(await callAsB(operation, own), [tenants.b.ids[target.entity]]);
        if (withOwn === withUnknown) notFound.push(`${operation.name}(${target.path.join('.')}): ${withOwn}`);
      }
    };
    await inParallel(operations.filter((o) => !destructive.test(o.name)), control);
    for (const operation of operations.filter((o) => destructive.test(o.name))) await control(operation);
    expect(notFound).toEqual([]);
  });
});
