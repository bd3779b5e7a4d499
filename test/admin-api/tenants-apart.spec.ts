import { codeOf, startAdminApi } from '../support/admin-api-harness';

describe("another tenant's promotions, merchants, webhooks, contacts and campaigns are NOT_FOUND", () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  const a = {} as Record<'admin' | 'promotionId' | 'merchantId' | 'endpointId' | 'listId' | 'campaignId', string>;
  let b: { adminKey: string; merchantKeyId: string; merchantId: string };

  beforeAll(async () => {
    api = await startAdminApi();
    a.admin = (await api.tenantWithAdmin('Tenant A')).adminKey;
    const made = await api.gql(
      a.admin,
      `mutation {
        p: createPromotion(input: { name: "A promo", offer: "Tea", discount: "5%", validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" }) { id }
        m: createMerchant(input: { name: "A shop" }) { id }
        w: createWebhookEndpoint(input: { url: "https://a.example/hooks", events: ["coupon.redeemed"] }) { endpoint { id } }
        l: createContactList(name: "A list") { id }
      }`,
    );
    Object.assign(a, { promotionId: made.data!.p.id, merchantId: made.data!.m.id, endpointId: made.data!.w.endpoint.id, listId: made.data!.l.id });
    await api.gql(a.admin, 'mutation($l: ID!) { importContacts(listId: $l, csv: "phone\\n+14155550111") { imported } }', { l: a.listId });
    const campaign = await api.gql(a.admin, 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
      i: { name: 'A calls', listId: a.listId, callerId: '+14155550100', answerUrl: 'https://a.example/answer', callsPerSecond: 1, maxConcurrentCalls: 1 },
    });
    a.campaignId = campaign.data!.createCampaign.id;

    const tenantB = await api.tenantWithAdmin('Tenant B');
    const key = await api.keyFor(tenantB.adminKey, 'MERCHANT');
    const merchant = await api.gql(tenantB.adminKey, 'mutation { createMerchant(input: { name: "B shop" }) { id } }');
    b = { adminKey: tenantB.adminKey, merchantKeyId: key.id, merchantId: merchant.data!.createMerchant.id };
  });
  afterAll(() => api.close());

  it("B's admin reads and changes none of A's things", async () => {
    const tries: Record<string, [string, Record<string, unknown>]> = {
      promotion: ['query($id: ID!) { promotion(id: $id) { id } }', { id: a.promotionId }],
      merchant: ['query($id: ID!) { merchant(id: $id) { id } }', { id: a.merchantId }],
      merchantUsers: ['query($id: ID!) { merchantUsers(merchantId: $id) { id } }', { id: a.merchantId }],
      createMerchantUser: [
        'mutation($id: ID!) { createMerchantUser(input: { merchantId: $id, email: "sneaky@b.example", password: "long enough password" }) { id } }',
        { id: a.merchantId },
      ],
      bindMerchantKey: ['mutation($k: ID!, $m: ID!) { bindMerchantKey(input: { apiKeyId: $k, merchantId: $m }) { apiKeyId } }', { k: b.merchantKeyId, m: a.merchantId }],
      disableEndpoint: ['mutation($id: ID!) { setWebhookEndpointEnabled(id: $id, enabled: false) { id } }', { id: a.endpointId }],
      removeEndpoint: ['mutation($id: ID!) { removeWebhookEndpoint(id: $id) }', { id: a.endpointId }],
      contactList: ['query($id: ID!) { contactList(id: $id) { id } }', { id: a.listId }],
      contacts: ['query($id: ID!) { contacts(listId: $id) { edges { cursor } } }', { id: a.listId }],
      importContacts: ['mutation($id: ID!) { importContacts(listId: $id, csv: "phone\\n+14155550122") { imported } }', { id: a.listId }],
      createCampaign: [
        'mutation($l: ID!) { createCampaign(input: { name: "x", listId: $l, callerId: "+14155550100", answerUrl: "https://b.example", callsPerSecond: 1, maxConcurrentCalls: 1 }) { id } }',
        { l: a.listId },
      ],
      campaign: ['query($id: ID!) { campaign(id: $id) { id } }', { id: a.campaignId }],
      launchCampaign: ['mutation($id: ID!) { launchCampaign(id: $id) { id } }', { id: a.campaignId }],
      cancelCampaign: ['mutation($id: ID!) { cancelCampaign(id: $id) { id } }', { id: a.campaignId }],
    };
    const codes: Record<string, string | undefined> = {};
    for (const [name, [query, variables]] of Object.entries(tries)) codes[name] = codeOf(await api.gql(b.adminKey, query, variables));
    expect(codes).toEqual(Object.fromEntries(Object.keys(tries).map((name) => [name, 'NOT_FOUND'])));

    const listsOfB = await api.gql(b.adminKey, '{ promotions { edges { cursor } } contactLists { edges { cursor } } campaigns { edges { cursor } } webhookEndpoints { edges { cursor } } merchants { edges { node { id } } } }');
    expect(listsOfB.data).toEqual({
      promotions: { edges: [] }, contactLists: { edges: [] }, campaigns: { edges: [] }, webhookEndpoints: { edges: [] },
      merchants: { edges: [{ node: { id: b.merchantId } }] },
    });

    const stillA = await api.gql(a.admin, `query($c: ID!, $l: ID!) { campaign(id: $c) { status progress { contacts } } contactList(id: $l) { contactCount } webhookEndpoints { edges { node { id enabled } } } }`, {
      c: a.campaignId, l: a.listId,
    });
    expect(stillA.data).toEqual({
      campaign: { status: 'DRAFT', progress: { contacts: 0 } },
      contactList: { contactCount: 1 },
      webhookEndpoints: { edges: [{ node: { id: a.endpointId, enabled: true } }] },
    });
  });
});
