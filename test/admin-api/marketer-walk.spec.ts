import { seedFlows } from '@ringflow/flow';
import { codeOf, startAdminApi } from '../support/admin-api-harness';

const CAMPAIGN_FIELDS = 'id status window { start end } retryDelays { noAnswer busy } machineHandling progress { contacts pending done dispositions { disposition count } }';

const CSV = [
  'phone,name,timeZone',
  '+1 (415) 555-0101,Ann,America/Los_Angeles',
  '+44 20 7946 0018,Bob,',
  '555-0199,Carl,',
  '+4930 1234567,Dora,Europe/Atlantis',
  '+33 1 42 68 53 00,,Europe/Paris',
  '+14155550102,Eve,',
].join('\n');

describe("a marketer's walk through GraphQL alone", () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let marketer: string;
  let admin: string;
  beforeAll(async () => {
    api = await startAdminApi();
    const { adminKey } = await api.tenantWithAdmin('Walk Coffee');
    admin = adminKey;
    marketer = (await api.keyFor(adminKey, 'MARKETER')).secret;
  });
  afterAll(() => api.close());

  it('promotion, contact list imported with bad rows listed, campaign created, launched, paused, resumed and cancelled', async () => {
    const promotion = await api.gql(marketer, `mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id name discount couponLifetimeDays } }`, {
      i: { name: 'Autumn latte', offer: 'A free latte with any pastry', discount: '100%', validFrom: '2026-10-01T00:00:00Z', validUntil: '2027-01-31T00:00:00Z', couponLifetimeDays: 14 },
    });
    expect(promotion.data!.createPromotion).toMatchObject({ name: 'Autumn latte', discount: '100%', couponLifetimeDays: 14 });

    const list = await api.gql(marketer, 'mutation { createContactList(name: "Regulars") { id name contactCount } }');
    const listId = list.data!.createContactList.id;
    const imported = await api.gql(marketer, 'mutation($l: ID!, $csv: String) { importContacts(listId: $l, csv: $csv) { imported errors { row field message } } }', { l: listId, csv: CSV });
    expect(imported.data!.importContacts).toEqual({
      imported: 4,
      errors: [
        { row: 3, field: 'phone', message: expect.stringMatching(/country code/) },
        { row: 4, field: 'timeZone', message: 'timeZone "Europe/Atlantis" is not an IANA time zone (e.g. Europe/Berlin)' },
      ],
    });
    const contacts = await api.gql(marketer, 'query($l: ID!) { contacts(listId: $l, first: 10) { edges { node { phone name timeZone } } pageInfo { hasNextPage } } }', { l: listId });
    expect(contacts.data!.contacts.edges.map((e: { node: unknown }) => e.node)).toEqual(expect.arrayContaining([
      { phone: '+14155550101', name: 'Ann', timeZone: 'America/Los_Angeles' },
      { phone: '+442079460018', name: 'Bob', timeZone: null },
      { phone: '+33142685300', name: null, timeZone: 'Europe/Paris' },
      { phone: '+14155550102', name: 'Eve', timeZone: null },
    ]));
    expect(contacts.data!.contacts.edges).toHaveLength(4);

    const created = await api.gql(marketer, `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { ${CAMPAIGN_FIELDS} } }`, {
      i: {
        name: 'Latte push', listId, callerId: '+1 415 555 0100', answerUrl: 'https://crm.example/answer', window: { start: '09:30', end: '19:00' },
        callsPerSecond: 2, maxConcurrentCalls: 5, maxAttempts: 3, retryDelays: { noAnswer: 600, busy: 120 }, machineHandling: 'IGNORE',
      },
    });
    const campaign = created.data!.createCampaign;
    expect(campaign).toMatchObject({
      status: 'DRAFT', window: { start: '09:30', end: '19:00' }, retryDelays: { noAnswer: 600, busy: 120 }, machineHandling: 'IGNORE',
      progress: { contacts: 0, pending: 0, done: 0, dispositions: [] },
    });

    const early = await api.gql(marketer, `mutation($id: ID!) { pauseCampaign(id: $id) { status } }`, { id: campaign.id });
    expect(early.errors![0]).toMatchObject({ message: 'cannot pause a draft campaign (only from: running)', extensions: { code: 'CONFLICT', field: 'status' } });

    const step = async (action: string) => (await api.gql(marketer, `mutation($id: ID!) { ${action}(id: $id) { ${CAMPAIGN_FIELDS} } }`, { id: campaign.id })).data![action];
    expect(await step('launchCampaign')).toMatchObject({ status: 'RUNNING', progress: { contacts: 4, pending: 4, done: 0 } });
    expect(await step('pauseCampaign')).toMatchObject({ status: 'PAUSED' });
    expect(await step('resumeCampaign')).toMatchObject({ status: 'RUNNING' });
    expect(await step('cancelCampaign')).toMatchObject({ status: 'CANCELLED', progress: { contacts: 4, pending: 0, done: 4, dispositions: [{ disposition: 'cancelled', count: 4 }] } });

    const again = await api.gql(marketer, `mutation($id: ID!) { resumeCampaign(id: $id) { status } }`, { id: campaign.id });
    expect([codeOf(again), again.errors![0].message]).toEqual(['CONFLICT', 'cannot resume a cancelled campaign (only from: paused)']);

    const listed = await api.gql(marketer, '{ campaigns(first: 10) { edges { node { id status } } } contactLists { edges { node { name contactCount } } } }');
    expect(listed.data).toEqual({
      campaigns: { edges: [{ node: { id: campaign.id, status: 'CANCELLED' } }] },
      contactLists: { edges: [{ node: { name: 'Regulars', contactCount: 4 } }] },
    });
    const funnel = await api.gql(marketer, 'query($p: ID, $c: ID) { funnel(promotionId: $p, campaignId: $c) { issued redeemed revenue } }', { p: promotion.data!.createPromotion.id, c: campaign.id });
    expect(funnel.data!.funnel).toEqual({ issued: 0, redeemed: 0, revenue: '0.00' });
  });

  it('a campaign scheduled for later waits as SCHEDULED with its time, and can be cancelled before it starts', async () => {
    const listId = (await api.gql(marketer, 'mutation { createContactList(name: "Later") { id } }')).data!.createContactList.id;
    const created = await api.gql(marketer, 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { name: 'Morning push', listId, callerId: '+14155550100', answerUrl: 'https://crm.example/answer', callsPerSecond: 1, maxConcurrentCalls: 1 },
    });
    const id = created.data!.createCampaign.id;
    const at = new Date(Date.now() + 24 * 3600_000).toISOString();
    const scheduled = await api.gql(marketer, 'mutation($id: ID!, $at: DateTime) { launchCampaign(id: $id, at: $at) { status scheduledAt startedAt } }', { id, at });
    expect(scheduled.data!.launchCampaign).toEqual({ status: 'SCHEDULED', scheduledAt: at, startedAt: null });
    const cancelled = await api.gql(marketer, 'mutation($id: ID!) { cancelCampaign(id: $id) { status finishedAt } }', { id });
    expect(cancelled.data!.cancelCampaign).toEqual({ status: 'CANCELLED', finishedAt: expect.any(String) });
  });

  it("a campaign answered by the tenant's published flow names its version; an unpublished version is not found", async () => {
    const flow = await api.gql(admin, 'mutation($d: JSON!) { createFlow(document: $d) { flow { id } } }', { d: seedFlows.vipRouting });
    const flowId = flow.data!.createFlow.flow.id;
    await api.gql(admin, 'mutation($id: ID!) { publishFlow(id: $id) { errors { message } } }', { id: flowId });
    const listId = (await api.gql(marketer, 'mutation { createContactList(name: "Flow list") { id } }')).data!.createContactList.id;
    const input = { name: 'By flow', listId, callerId: '+14155550100', flowId, flowVersion: 1, callsPerSecond: 1, maxConcurrentCalls: 1 };
    const create = 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { flowId flowVersion answerUrl } }';
    expect((await api.gql(marketer, create, { i: input })).data!.createCampaign).toEqual({ flowId, flowVersion: 1, answerUrl: null });
    const v2 = await api.gql(marketer, create, { i: { ...input, flowVersion: 2 } });
    expect(v2.errors![0]).toMatchObject({ message: `flow ${flowId} has no published version 2`, extensions: { code: 'NOT_FOUND', field: 'answer.flowVersion' } });
    const half = await api.gql(marketer, create, { i: { ...input, flowVersion: undefined } });
    expect(half.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'flowVersion' });
  });

  it('bad campaign input names the field: window outside 08:00-21:00, both flow and URL, unknown list', async () => {
    const list = (await api.gql(marketer, 'mutation { createContactList(name: "Input checks") { id } }')).data!.createContactList.id;
    const base = { name: 'Bad', listId: list, callerId: '+14155550100', answerUrl: 'https://crm.example/a', callsPerSecond: 1, maxConcurrentCalls: 1 };
    const create = (i: Record<string, unknown>) => api.gql(marketer, 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', { i });
    const late = await create({ ...base, window: { start: '07:00', end: '20:00' } });
    expect(late.errors![0]).toMatchObject({ message: 'window.start may not be before 08:00', extensions: { code: 'BAD_USER_INPUT', field: 'window.start' } });
    const both = await create({ ...base, flowId: list, flowVersion: 1 });
    expect(both.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'answerUrl' });
    const cps = await create({ ...base, callsPerSecond: 0 });
    expect(cps.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'callsPerSecond' } });
    const unknown = await create({ ...base, listId: '00000000-0000-4000-8000-000000000001' });
    expect(unknown.errors![0].extensions).toEqual({ code: 'NOT_FOUND', field: 'listId' });
  });
});
