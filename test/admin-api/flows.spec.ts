import { seedFlows } from '@ringflow/flow';
import { codeOf, startAdminApi } from '../support/admin-api-harness';

const SAVE = 'flow { id name latestVersion } errors { nodeId field message }';

describe('flows over GraphQL: drafted, validated, published', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let admin: string;
  beforeAll(async () => {
    api = await startAdminApi();
    admin = (await api.tenantWithAdmin('Flow Bank')).adminKey;
  });
  afterAll(() => api.close());

  it('a flow with mistakes is refused with every error, node and field, and nothing is saved', async () => {
    const broken = {
      schemaVersion: 1,
      name: 'Broken',
      start: 'menu',
      nodes: {
        menu: { type: 'menu', prompts: [{ kind: 'say', text: 'Hi {{ vars.x ' }], options: [{ key: '1', next: 'nowhere' }, { key: '1', next: 'bye' }], next: {} },
        bye: { type: 'hangup' },
        lonely: { type: 'hangup' },
      },
    };
    const checked = await api.gql(admin, 'query($d: JSON!) { validateFlow(document: $d) { nodeId field message } }', { d: broken });
    const errors = checked.data!.validateFlow as { nodeId: string; field: string; message: string }[];
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors.map((e) => e.nodeId)).toEqual(expect.arrayContaining(['menu', 'lonely']));
    expect(errors.every((e) => e.field && e.message)).toBe(true);

    const created = await api.gql(admin, `mutation($d: JSON!) { createFlow(document: $d) { ${SAVE} } }`, { d: broken });
    expect(created.data!.createFlow.flow).toBeNull();
    expect(created.data!.createFlow.errors).toEqual(errors);
    expect((await api.gql(admin, '{ flows { id } }')).data).toEqual({ flows: [] });
  });

  it('a valid flow is saved as a draft, published as version 1, edited and published as version 2; old versions stay as they were', async () => {
    const created = await api.gql(admin, `mutation($d: JSON!) { createFlow(document: $d) { ${SAVE} } }`, { d: seedFlows.cardActivation });
    expect(created.data!.createFlow).toMatchObject({ flow: { name: 'Card activation', latestVersion: null }, errors: [] });
    const id = created.data!.createFlow.flow.id;

    const v1 = await api.gql(admin, 'mutation($id: ID!) { publishFlow(id: $id) { version { version } errors { message } } }', { id });
    expect(v1.data!.publishFlow).toEqual({ version: { version: 1 }, errors: [] });

    const edited = { ...(seedFlows.cardActivation as object), name: 'Card activation v2' };
    await api.gql(admin, `mutation($id: ID!, $d: JSON!) { updateFlowDraft(id: $id, document: $d) { ${SAVE} } }`, { id, d: edited });
    const v2 = await api.gql(admin, 'mutation($id: ID!) { publishFlow(id: $id) { version { version } } }', { id });
    expect(v2.data!.publishFlow.version).toEqual({ version: 2 });

    const first = await api.gql(admin, 'query($id: ID!) { flowVersion(flowId: $id, version: 1) { document } }', { id });
    expect(first.data!.flowVersion.document.name).toBe('Card activation');
    const listed = await api.gql(admin, '{ flows { name latestVersion } }');
    expect(listed.data!.flows).toEqual([{ name: 'Card activation v2', latestVersion: 2 }]);

    await api.gql(admin, 'mutation { addPhoneNumber(input: { number: "+14155550142" }) { id } }');
    const bound = await api.gql(admin, 'mutation($i: BindNumberInput!) { bindNumberToFlow(input: $i) }', { i: { number: '+14155550142', flowId: id } });
    expect(bound.data).toEqual({ bindNumberToFlow: true });
  });

  it("another tenant's flow is not found, and its analyst cannot publish", async () => {
    const created = await api.gql(admin, `mutation($d: JSON!) { createFlow(document: $d) { ${SAVE} } }`, { d: seedFlows.vipRouting });
    const id = created.data!.createFlow.flow.id;
    const other = await api.tenantWithAdmin('Other Bank');
    expect(codeOf(await api.gql(other.adminKey, 'query($id: ID!) { flow(id: $id) { name } }', { id }))).toBe('NOT_FOUND');
    expect(codeOf(await api.gql(other.adminKey, 'mutation($id: ID!) { publishFlow(id: $id) { errors { message } } }', { id }))).toBe('NOT_FOUND');
    const analyst = await api.keyFor(admin, 'ANALYST');
    expect(codeOf(await api.gql(analyst.secret, 'mutation($id: ID!) { publishFlow(id: $id) { errors { message } } }', { id }))).toBe('FORBIDDEN');
  });
});
