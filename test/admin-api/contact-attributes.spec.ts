import { startAdminApi } from '../support/admin-api-harness';

const IMPORT = 'mutation($l: ID!, $csv: String, $rows: [ContactInput!]) { importContacts(listId: $l, csv: $csv, rows: $rows) { imported errors { row field message } } }';
const READ = 'query($l: ID!) { contacts(listId: $l, first: 20) { edges { node { phone name attributes } } } }';

describe('contact attributes: extra CSV columns and ContactInput.attributes, read back on Contact', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let marketer: string;
  let analyst: string;
  beforeAll(async () => {
    api = await startAdminApi();
    const { adminKey } = await api.tenantWithAdmin('Attribute Espresso');
    marketer = (await api.keyFor(adminKey, 'MARKETER')).secret;
    analyst = (await api.keyFor(adminKey, 'ANALYST')).secret;
  });
  afterAll(() => api.close());

  const newList = async (name: string) => (await api.gql(marketer, 'mutation($n: String!) { createContactList(name: $n) { id } }', { n: name })).data!.createContactList.id as string;
  /** The list's contacts by phone (one import's contacts share an added-at time, so their order is not defined). */
  const contactsOf = async (key: string, listId: string) =>
    (await api.gql(key, READ, { l: listId })).data!.contacts.edges.map((e: { node: { phone: string } }) => e.node)
      .sort((a: { phone: string }, b: { phone: string }) => a.phone.localeCompare(b.phone));

  it('imports extra CSV columns as attributes; a row with a too-long value is listed by row and column, the rest are in', async () => {
    const listId = await newList('Loyalty');
    const csv = [
      'phone,name,tier,store-id,notes',
      '+14155550101,Ann,gold,12,',
      `+14155550102,Bob,silver,7,${'x'.repeat(501)}`,
      '+14155550103,,,,likes oat milk',
    ].join('\n');
    const result = await api.gql(marketer, IMPORT, { l: listId, csv });
    expect(result.data!.importContacts).toEqual({
      imported: 2,
      errors: [{ row: 2, field: 'attributes.notes', message: 'notes must be at most 500 characters, not 501' }],
    });
    expect(await contactsOf(marketer, listId)).toEqual([
      { phone: '+14155550101', name: 'Ann', attributes: { tier: 'gold', 'store-id': '12' } },
      { phone: '+14155550103', name: null, attributes: { notes: 'likes oat milk' } },
    ]);
  });

  it('a CSV column that cannot name an attribute refuses the import, naming the column; nothing is added', async () => {
    const listId = await newList('Refused');
    const result = await api.gql(marketer, IMPORT, { l: listId, csv: 'phone,loyalty tier\n+14155550104,gold' });
    expect(result.errors![0]).toMatchObject({
      message: 'csv: column "loyalty tier" is not an attribute name (a letter, then up to 63 letters, digits, "_" or "-")',
      extensions: { code: 'BAD_USER_INPUT', field: 'csv' },
    });
    expect(await contactsOf(marketer, listId)).toEqual([]);
  });

  it('takes attributes on rows (strings, numbers, booleans), refuses nested values and bad names per row, and merges on a known number', async () => {
    const listId = await newList('Rows');
    const result = await api.gql(marketer, IMPORT, {
      l: listId,
      rows: [
        { phone: '+14155550111', attributes: { visits: 3, vip: true, drink: 'cortado' } },
        { phone: '+14155550112', attributes: { address: { city: 'Oakland' } } },
        { phone: '+14155550113', attributes: { '1st': 'no' } },
        { phone: '+14155550114', attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      ],
    });
    expect(result.data!.importContacts).toEqual({
      imported: 1,
      errors: [
        { row: 2, field: 'attributes.address', message: 'address must be a string, a number or a boolean' },
        { row: 3, field: 'attributes.1st', message: '"1st" is not an attribute name (a letter, then up to 63 letters, digits, "_" or "-")' },
        { row: 4, field: 'attributes', message: 'a contact has at most 50 attributes, not 51' },
      ],
    });

    const again = await api.gql(marketer, IMPORT, { l: listId, rows: [{ phone: '+1 415 555 0111', attributes: { visits: 4, tier: 'gold' } }, { phone: '+14155550115' }] });
    expect(again.data!.importContacts).toEqual({ imported: 2, errors: [] });
    expect(await contactsOf(marketer, listId)).toEqual([
      { phone: '+14155550111', name: null, attributes: { visits: 4, vip: true, drink: 'cortado', tier: 'gold' } },
      { phone: '+14155550115', name: null, attributes: {} },
    ]);
  });

  it('an analyst sees no attributes (they may hold personal data)', async () => {
    const listId = await newList('Private');
    await api.gql(marketer, IMPORT, { l: listId, csv: 'phone,email\n+14155550121,ann@example.com' });
    expect(await contactsOf(analyst, listId)).toEqual([{ phone: '+1415*****21', name: null, attributes: null }]);
    expect(await contactsOf(marketer, listId)).toEqual([{ phone: '+14155550121', name: null, attributes: { email: 'ann@example.com' } }]);
  });
});
