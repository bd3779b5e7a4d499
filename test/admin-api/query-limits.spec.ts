import { startAdminApi } from '../support/admin-api-harness';

describe('abusive GraphQL queries are refused before they run', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let admin: string;
  beforeAll(async () => {
    api = await startAdminApi();
    admin = (await api.tenantWithAdmin('Limits Inc')).adminKey;
  });
  afterAll(() => api.close());

  it('a query with a flood of aliases is refused', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: me { kind }`).join(' ');
    const result = await api.gql(admin, `{ ${aliases} }`);
    expect(result.errors?.[0].message).toMatch(/aliases/i);
    expect(result.data).toBeUndefined();
  });

  it('batched requests are not accepted', async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify([{ query: '{ me { kind } }' }, { query: '{ me { kind } }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('a standard introspection query still works (tools need it outside production)', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const result = await api.gql(admin, getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    expect(result.data?.__schema.queryType.name).toBe('Query');
  });

  it('an ordinary query still works', async () => {
    expect((await api.gql(admin, '{ me { kind } phoneNumbers { id } }')).data).toEqual({ me: { kind: 'API_KEY' }, phoneNumbers: [] });
  });
});
