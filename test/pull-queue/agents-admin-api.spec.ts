import { codeOf, startAdminApi } from '../support/admin-api-harness';

describe('agents and call queues in the admin API', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let admin: string;
  let other: string;

  beforeAll(async () => {
    api = await startAdminApi();
    admin = (await api.tenantWithAdmin('Queue Co')).adminKey;
    other = (await api.tenantWithAdmin('Other Co')).adminKey;
  });
  afterAll(() => api.close());

  const createAgent = (key: string, name: string, phone: string) =>
    api.gql(key, 'mutation($i: CreateAgentInput!) { createAgent(input: $i) { id name phone available } }', { i: { name, phone } });

  it('adds agents with normalised numbers, refuses a bad or duplicate number, and puts them in a queue', async () => {
    const ann = await createAgent(admin, 'Ann', '+1 (415) 555-0201');
    expect(ann.data!.createAgent).toMatchObject({ name: 'Ann', phone: '+14155550201', available: true });
    const bad = await createAgent(admin, 'Bad', '12');
    expect([codeOf(bad), bad.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'phone']);
    expect(codeOf(await createAgent(admin, 'Ann again', '+14155550201'))).toBe('CONFLICT');

    const queue = await api.gql(admin, 'mutation($i: CreateCallQueueInput!) { createCallQueue(input: $i) { id name agentIds voicemailNotify } }', {
      i: { name: 'support', agentIds: [ann.data!.createAgent.id] },
    });
    expect(queue.data!.createCallQueue).toMatchObject({ name: 'support', agentIds: [ann.data!.createAgent.id], voicemailNotify: 'AGENTS' });
    const noNumber = await api.gql(admin, `mutation { updateCallQueue(id: "${queue.data!.createCallQueue.id}", input: { voicemailNotify: NUMBER }) { id } }`);
    expect([codeOf(noNumber), noNumber.errors![0].extensions!.field]).toEqual(['BAD_USER_INPUT', 'voicemailNumber']);
    const toNumber = await api.gql(
      admin, `mutation { updateCallQueue(id: "${queue.data!.createCallQueue.id}", input: { voicemailNotify: NUMBER, voicemailNumber: "+14155550299" }) { voicemailNumber } }`,
    );
    expect(toNumber.data!.updateCallQueue).toEqual({ voicemailNumber: '+14155550299' });

    const away = await api.gql(admin, `mutation { updateAgent(id: "${ann.data!.createAgent.id}", input: { available: false }) { available } }`);
    expect(away.data!.updateAgent).toEqual({ available: false });
  });

  it("cannot see or use another tenant's agents", async () => {
    const olga = await createAgent(other, 'Olga', '+14155550202');
    const olgaId = olga.data!.createAgent.id;
    const queue = await api.gql(admin, `mutation { createCallQueue(input: { name: "sales", agentIds: ["${olgaId}"] }) { id } }`);
    expect(codeOf(queue)).toBe('NOT_FOUND');
    expect(codeOf(await api.gql(admin, `mutation { removeAgent(id: "${olgaId}") { id } }`))).toBe('NOT_FOUND');
    const listed = await api.gql(admin, '{ agents { name } callQueues { name } }');
    expect(listed.data).toEqual({ agents: [{ name: 'Ann' }], callQueues: [{ name: 'support' }] });
    expect((await api.gql(other, '{ agents { name } }')).data).toEqual({ agents: [{ name: 'Olga' }] });
  });
});
