import { seedFlows } from '@ringflow/flow';
import { codeOf, startAdminApi } from '../support/admin-api-harness';
import { NEW_OPERATIONS } from './support/new-operations';

type Caller = 'operator' | 'ADMIN' | 'MARKETER' | 'ANALYST' | 'MERCHANT';
const CALLERS: Caller[] = ['operator', 'ADMIN', 'MARKETER', 'ANALYST', 'MERCHANT'];

interface Operation {
  name: string;
  allowed: Caller[];
  query: (ids: { keyId: string; numberId: string; flowId: string }) => string;
  variables?: Record<string, unknown>;
}

/** An id no row has: an allowed caller gets NOT_FOUND, which is still not FORBIDDEN. */
const MISSING = '00000000-0000-4000-8000-000000000000';

// Every query and mutation of the admin API, and who may call it. A new operation belongs here too.
const OPERATIONS: Operation[] = [
  { name: 'createTenant', allowed: ['operator'], query: () => 'mutation { createTenant(input: { name: "Matrix" }) { id } }' },
  { name: 'me', allowed: ['operator', 'ADMIN', 'MARKETER', 'ANALYST'], query: () => '{ me { kind } }' },
  { name: 'updateTenant', allowed: ['ADMIN'], query: () => 'mutation { updateTenant(input: { fallbackMessage: "Sorry, try later." }) { id } }' },
  { name: 'tenant', allowed: ['ADMIN', 'MARKETER', 'ANALYST'], query: () => '{ tenant { id } }' },
  { name: 'apiKeys', allowed: ['ADMIN'], query: () => '{ apiKeys { id } }' },
  { name: 'createApiKey', allowed: ['operator', 'ADMIN'], query: () => 'mutation { createApiKey(input: { name: "m", role: ANALYST }) { secret } }' },
  { name: 'revokeApiKey', allowed: ['ADMIN'], query: ({ keyId }) => `mutation { revokeApiKey(id: "${keyId}") { id } }` },
  { name: 'phoneNumbers', allowed: ['ADMIN', 'MARKETER', 'ANALYST'], query: () => '{ phoneNumbers { id } }' },
  { name: 'addPhoneNumber', allowed: ['ADMIN'], query: () => 'mutation { addPhoneNumber(input: { number: "+14155550123" }) { id } }' },
  { name: 'removePhoneNumber', allowed: ['ADMIN'], query: ({ numberId }) => `mutation { removePhoneNumber(id: "${numberId}") { id } }` },
  { name: 'twilioCredentials', allowed: ['ADMIN'], query: () => '{ twilioCredentials { accountSid } }' },
  {
    name: 'setTwilioCredentials',
    allowed: ['ADMIN'],
    query: () => `mutation { setTwilioCredentials(input: { accountSid: "AC${'2'.repeat(32)}", authToken: "${'3'.repeat(32)}" }) { accountSid } }`,
  },
  { name: 'smtpSettings', allowed: ['ADMIN'], query: () => '{ smtpSettings { host } }' },
  // Before any settings exist, so an allowed caller gets NOT_FOUND and nothing is sent.
  { name: 'sendTestEmail', allowed: ['ADMIN'], query: () => 'mutation { sendTestEmail(to: "matrix@example.com") { sent } }' },
  {
    name: 'setSmtpSettings',
    allowed: ['ADMIN'],
    query: () => 'mutation { setSmtpSettings(input: { host: "smtp.example.com", port: 587, security: STARTTLS, username: "u", password: "p", fromAddress: "ivr@example.com" }) { host } }',
  },
  { name: 'removeSmtpSettings', allowed: ['ADMIN'], query: () => 'mutation { removeSmtpSettings }' },
  { name: 'flows', allowed: ['ADMIN', 'MARKETER', 'ANALYST'], query: () => '{ flows { id } }' },
  { name: 'flow', allowed: ['ADMIN', 'MARKETER', 'ANALYST'], query: ({ flowId }) => `{ flow(id: "${flowId}") { id } }` },
  { name: 'flowVersion', allowed: ['ADMIN', 'MARKETER', 'ANALYST'], query: ({ flowId }) => `{ flowVersion(flowId: "${flowId}", version: 1) { version } }` },
  { name: 'validateFlow', allowed: ['ADMIN', 'MARKETER', 'ANALYST'], query: () => '{ validateFlow(document: {}) { message } }' },
  { name: 'createFlow', allowed: ['ADMIN'], query: () => 'mutation($d: JSON!) { createFlow(document: $d) { errors { message } } }', variables: { d: seedFlows.vipRouting } },
  {
    name: 'updateFlowDraft',
    allowed: ['ADMIN'],
    query: ({ flowId }) => `mutation($d: JSON!) { updateFlowDraft(id: "${flowId}", document: $d) { errors { message } } }`,
    variables: { d: seedFlows.vipRouting },
  },
  { name: 'publishFlow', allowed: ['ADMIN'], query: ({ flowId }) => `mutation { publishFlow(id: "${flowId}") { errors { message } } }` },
  { name: 'bindNumberToFlow', allowed: ['ADMIN'], query: ({ flowId }) => `mutation { bindNumberToFlow(input: { number: "+14155550177", flowId: "${flowId}" }) }` },
  { name: 'agents', allowed: ['ADMIN', 'ANALYST'], query: () => '{ agents { id } }' },
  { name: 'createAgent', allowed: ['ADMIN'], query: () => 'mutation { createAgent(input: { name: "Ann", phone: "+14155550166" }) { id } }' },
  { name: 'updateAgent', allowed: ['ADMIN'], query: () => `mutation { updateAgent(id: "${MISSING}", input: { available: false }) { id } }` },
  { name: 'removeAgent', allowed: ['ADMIN'], query: () => `mutation { removeAgent(id: "${MISSING}") { id } }` },
  { name: 'queueVoicemails', allowed: ['ADMIN', 'ANALYST'], query: () => '{ queueVoicemails { id } }' },
  { name: 'callQueues', allowed: ['ADMIN', 'ANALYST'], query: () => '{ callQueues { id } }' },
  { name: 'createCallQueue', allowed: ['ADMIN'], query: () => 'mutation { createCallQueue(input: { name: "support" }) { id } }' },
  { name: 'updateCallQueue', allowed: ['ADMIN'], query: () => `mutation { updateCallQueue(id: "${MISSING}", input: { announcePosition: true }) { id } }` },
  { name: 'removeCallQueue', allowed: ['ADMIN'], query: () => `mutation { removeCallQueue(id: "${MISSING}") { id } }` },
  ...NEW_OPERATIONS,
  { name: 'smsCampaign', allowed: ['ADMIN', 'MARKETER', 'ANALYST'], query: () => `{ smsCampaign(id: "${MISSING}") { id progress { delivered } } }` },
  {
    name: 'createSmsCampaign',
    allowed: ['ADMIN', 'MARKETER'],
    query: () => `mutation { createSmsCampaign(input: { name: "Matrix", listId: "${MISSING}", senderNumber: "+14155550177", template: "Hi {{ name }}", messagesPerSecond: 1 }) { id } }`,
  },
];

describe('who may call what', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  const keys = {} as Record<Caller, string>;
  let own: { keyId: string; numberId: string; flowId: string };
  let other: { tenantId: string; adminKey: string; keyId: string; numberId: string };

  beforeAll(async () => {
    api = await startAdminApi();
    const tenant = await api.tenantWithAdmin('Matrix Co');
    keys.operator = api.operatorKey;
    keys.ADMIN = tenant.adminKey;
    for (const role of ['MARKETER', 'ANALYST', 'MERCHANT'] as const) keys[role] = (await api.keyFor(tenant.adminKey, role)).secret;
    const victimKey = await api.keyFor(tenant.adminKey, 'ANALYST');
    const number = await api.gql(tenant.adminKey, 'mutation { addPhoneNumber(input: { number: "+14155550177" }) { id } }');
    const flow = await api.gql(tenant.adminKey, 'mutation($d: JSON!) { createFlow(document: $d) { flow { id } } }', { d: seedFlows.vipRouting });
    const flowId = flow.data!.createFlow.flow.id;
    await api.gql(tenant.adminKey, `mutation { publishFlow(id: "${flowId}") { errors { message } } }`);
    own = { keyId: victimKey.id, numberId: number.data!.addPhoneNumber.id, flowId };

    const b = await api.tenantWithAdmin('Other Co');
    const bKey = await api.keyFor(b.adminKey, 'MARKETER');
    const bNumber = await api.gql(b.adminKey, 'mutation { addPhoneNumber(input: { number: "+14155550188" }) { id } }');
    other = { ...b, keyId: bKey.id, numberId: bNumber.data!.addPhoneNumber.id };
  });
  afterAll(() => api.close());

  for (const operation of OPERATIONS) {
    it(`${operation.name}: allowed for ${operation.allowed.join(', ')}; FORBIDDEN for the rest`, async () => {
      for (const caller of CALLERS) {
        const result = await api.gql(keys[caller], operation.query(own), operation.variables);
        const code = codeOf(result);
        if (operation.allowed.includes(caller)) {
          expect([caller, code]).not.toEqual([caller, 'FORBIDDEN']);
          expect([caller, code]).not.toEqual([caller, 'UNAUTHENTICATED']);
          expect([caller, code]).not.toEqual([caller, 'INTERNAL_SERVER_ERROR']);
        } else {
          expect([caller, code]).toEqual([caller, 'FORBIDDEN']);
          expect(Object.values(result.data ?? {}).filter((value) => value !== null)).toEqual([]);
        }
      }
    });
  }

  it("a tenant's admin gets NOT_FOUND for another tenant's keys, numbers and tenant, and changes nothing there", async () => {
    const admin = keys.ADMIN;
    const revoke = await api.gql(admin, `mutation { revokeApiKey(id: "${other.keyId}") { id } }`);
    const remove = await api.gql(admin, `mutation { removePhoneNumber(id: "${other.numberId}") { id } }`);
    const mint = await api.gql(admin, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
      i: { tenantId: other.tenantId, name: 'sneaky', role: 'ADMIN' },
    });
    expect([codeOf(revoke), codeOf(remove), codeOf(mint)]).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);

    const keysOfB = await api.gql(other.adminKey, '{ apiKeys { id name revokedAt } }');
    expect(keysOfB.data!.apiKeys).toEqual(
      expect.arrayContaining([{ id: other.keyId, name: 'marketer key', revokedAt: null }]),
    );
    expect(keysOfB.data!.apiKeys.map((k: { name: string }) => k.name)).not.toContain('sneaky');
    const numbersOfB = await api.gql(other.adminKey, '{ phoneNumbers { id } }');
    expect(numbersOfB.data!.phoneNumbers).toEqual([{ id: other.numberId }]);
    const listA = await api.gql(admin, '{ phoneNumbers { id } apiKeys { id } }');
    expect(JSON.stringify(listA.data)).not.toContain(other.numberId);
    expect(JSON.stringify(listA.data)).not.toContain(other.keyId);
  });
});
