import { liveClient, watch } from '../admin-api/support/live-client';
import { startIsolatedAdminApi, type IsolatedAdminApi } from './support/admin-api';

/** What an outsider probing the schema would send: introspection, and near-misses that invite "Did you mean ...?". */
const PROBES: Record<string, string> = {
  schema: '{ __schema { queryType { name } types { name } } }',
  type: '{ __type(name: "Tenant") { name fields { name } } }',
  field: '{ tenat { id } }',
  argument: '{ campaign(idd: "x") { id } }',
  enum: 'mutation { createApiKey(input: { name: "x", role: ADMN }) { secret } }',
  inputField: 'mutation { createMerchant(input: { nam: "x" }) { id } }',
  typeName: 'query($x: Tenantt) { tenant { id } }',
};

const SUGGESTS = /did you mean/i;

async function probe(api: IsolatedAdminApi, key: string) {
  const answers: Record<string, { data: boolean; messages: string[] }> = {};
  for (const [name, query] of Object.entries(PROBES)) {
    const result = await api.gql(key, query);
    answers[name] = { data: result.data != null && Object.values(result.data).some((v) => v != null), messages: (result.errors ?? []).map((e) => e.message) };
  }
  return answers;
}

async function liveErrors(api: IsolatedAdminApi, key: string, query: string) {
  const { client } = liveClient(api.url, key);
  const live = watch(client, query.replace(/^\{/, 'subscription {'));
  await live.ended(5000);
  live.stop();
  await client.dispose();
  return live.errors;
}

async function probeLive(api: IsolatedAdminApi, key: string, query: string): Promise<string[]> {
  return (await liveErrors(api, key, query)).map((e) => e.message);
}

async function adminKeyOf(api: IsolatedAdminApi): Promise<string> {
  const { createTenant } = await api.must(api.operatorKey, 'mutation { createTenant(input: { name: "Probe target" }) { id } }');
  const { createApiKey } = await api.must(api.operatorKey, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', {
    i: { tenantId: createTenant.id, name: 'admin', role: 'ADMIN' },
  });
  return createApiKey.secret;
}

describe('the admin API in production: no introspection, no schema hints in errors', () => {
  let production: IsolatedAdminApi;
  let development: IsolatedAdminApi;
  let keys: { production: string; development: string };

  beforeAll(async () => {
    [production, development] = await Promise.all([startIsolatedAdminApi({ NODE_ENV: 'production' }), startIsolatedAdminApi({ NODE_ENV: 'development' })]);
    keys = { production: await adminKeyOf(production), development: await adminKeyOf(development) };
  });
  afterAll(async () => {
    await production?.close();
    await development?.close();
  });

  it('in development, an admin may introspect and a mistyped enum value gets a suggestion (what production must not do)', async () => {
    const answers = await probe(development, keys.development);
    expect(answers.schema.data).toBe(true);
    expect(answers.type.data).toBe(true);
    // graphql-armor masks field, argument and type suggestions in every mode; it misses enum values.
    expect(answers.enum.messages).toEqual([expect.stringMatching(/Did you mean the enum value "ADMIN"/)]);
  });

  it("in production, even an admin's introspection is refused and no error names a field, type or value it was not given", async () => {
    const answers = await probe(production, keys.production);
    expect(answers.schema).toEqual({ data: false, messages: [expect.stringMatching(/introspection/i)] });
    expect(answers.type).toEqual({ data: false, messages: [expect.stringMatching(/introspection/i)] });
    const hints = Object.entries(answers).flatMap(([name, a]) => a.messages.filter((m) => SUGGESTS.test(m)).map((m) => `${name}: ${m}`));
    expect(hints).toEqual([]);
    // Each probe still gets an error that says what was wrong with what it sent.
    for (const name of ['field', 'argument', 'enum', 'inputField', 'typeName']) expect(answers[name].messages.length).toBeGreaterThan(0);
  });

  it('in production, the websocket gives no schema and no hints either', async () => {
    // Introspection fields do not exist on the subscription root; a mistyped field is refused. Neither names anything.
    for (const query of ['{ __schema { types { name } } }', '{ activeCall { callSid } }', '{ activeCalls { callSidd } }']) {
      const messages = await probeLive(production, keys.production, query);
      expect({ query, refused: messages.length > 0, hints: messages.filter((m) => SUGGESTS.test(m) || /ADMIN|callSid\b|Tenant/.test(m)) }).toEqual({ query, refused: true, hints: [] });
    }
  });

  it('over the websocket, a mistyped field is a coded validation error that says what is wrong (the hint only outside production)', async () => {
    const query = '{ activeCalls { callSidd } }';
    expect(await liveErrors(production, keys.production, query)).toEqual([
      expect.objectContaining({ message: 'Cannot query field "callSidd" on type "ActiveCall".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    expect(await liveErrors(development, keys.development, query)).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Cannot query field "callSidd" on type "ActiveCall"\. Did you mean "callSid"/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
  });
});
