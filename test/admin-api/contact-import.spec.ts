import { codeOf, startAdminApi } from '../support/admin-api-harness';

const IMPORT = 'mutation($l: ID!, $csv: String, $rows: [ContactInput!]) { importContacts(listId: $l, csv: $csv, rows: $rows) { imported errors { row field message } } }';

describe('contacts: bulk import, the opt-out list, and what an analyst sees', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let marketer: string;
  let analyst: string;
  beforeAll(async () => {
    api = await startAdminApi();
    const { adminKey } = await api.tenantWithAdmin('Bulk Bakery');
    marketer = (await api.keyFor(adminKey, 'MARKETER')).secret;
    analyst = (await api.keyFor(adminKey, 'ANALYST')).secret;
  });
  afterAll(() => api.close());

  const newList = async (name: string) => (await api.gql(marketer, 'mutation($n: String!) { createContactList(name: $n) { id } }', { n: name })).data!.createContactList.id as string;

  it('imports thousands of rows at once; the bad ones are listed by row and field, the rest are in', async () => {
    const listId = await newList('Everyone');
    const rows = Array.from({ length: 3000 }, (_, i) => ({ phone: `+1 212 555 ${String(i).padStart(4, '0')}`, name: `Customer ${i}` }));
    rows[9] = { phone: 'call me', name: 'No number' };
    rows[1999] = { ...rows[1999], timeZone: 'Moon/Base' } as (typeof rows)[number];
    rows[2999] = { phone: '+1 212 555 0001', name: 'Same number as row 2' };
    const result = await api.gql(marketer, IMPORT, { l: listId, rows });
    expect(result.data!.importContacts.errors).toEqual([
      { row: 10, field: 'phone', message: expect.any(String) },
      { row: 2000, field: 'timeZone', message: 'timeZone "Moon/Base" is not an IANA time zone (e.g. Europe/Berlin)' },
    ]);
    expect(result.data!.importContacts.imported).toBe(2997);
    expect((await api.gql(marketer, 'query($l: ID!) { contactList(id: $l) { contactCount } }', { l: listId })).data!.contactList).toEqual({ contactCount: 2997 });

    const firstPage = await api.gql(marketer, 'query($l: ID!) { contacts(listId: $l, first: 2) { edges { node { phone name } } pageInfo { hasNextPage } } }', { l: listId });
    expect(firstPage.data!.contacts.pageInfo.hasNextPage).toBe(true);
    expect(firstPage.data!.contacts.edges.every((e: { node: { phone: string } }) => /^\+1212555\d{4}$/.test(e.node.phone))).toBe(true);
  });

  it('a NUL character in a name or attribute is that row\'s error, not a failed import (found by the CSV fuzz test)', async () => {
    const listId = await newList('Nul');
    const result = await api.gql(marketer, IMPORT, { l: listId, csv: 'phone,name,note\n+14155550100,\u0000,ok\n+14155550101,Ann,x\u0000y\n+14155550102,Bob,fine' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.importContacts).toEqual({
      imported: 1,
      errors: [
        { row: 1, field: 'name', message: 'name must not contain a NUL character' },
        { row: 2, field: 'attributes.note', message: expect.stringContaining('NUL') },
      ],
    });
  });

  it('refuses an import that gives both csv and rows, an unreadable CSV, or a header without phone; nothing is added', async () => {
    const listId = await newList('Checked');
    const both = await api.gql(marketer, IMPORT, { l: listId, csv: 'phone\n+14155550100', rows: [{ phone: '+14155550100' }] });
    expect(both.errors![0]).toMatchObject({ message: 'give either csv or rows, not both or neither', extensions: { code: 'BAD_USER_INPUT' } });
    const broken = await api.gql(marketer, IMPORT, { l: listId, csv: 'phone,name\n+14155550100,"Ann' });
    expect(broken.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'csv' } });
    expect(broken.errors![0].message).toMatch(/^csv could not be read: /);
    const noPhone = await api.gql(marketer, IMPORT, { l: listId, csv: 'name\nAnn' });
    expect(noPhone.errors![0]).toMatchObject({ message: 'csv: the header row must name a phone column', extensions: { field: 'csv' } });
    expect((await api.gql(marketer, 'query($l: ID!) { contactList(id: $l) { contactCount } }', { l: listId })).data!.contactList.contactCount).toBe(0);
  });

  it('the opt-out list: numbers normalised, listed, removed; an analyst sees them masked and cannot change them', async () => {
    const added = await api.gql(marketer, 'mutation { addOptOut(phone: "+44 20 7946 0999") { phone source } }');
    expect(added.data!.addOptOut).toEqual({ phone: '+442079460999', source: 'admin-api' });
    const bad = await api.gql(marketer, 'mutation { addOptOut(phone: "12") { phone } }');
    expect(bad.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'phone' });

    expect((await api.gql(marketer, '{ optOuts { edges { node { phone } } } }')).data!.optOuts.edges).toEqual([{ node: { phone: '+442079460999' } }]);
    expect((await api.gql(analyst, '{ optOuts { edges { node { phone } } } }')).data!.optOuts.edges).toEqual([{ node: { phone: '+4420******99' } }]);
    expect(codeOf(await api.gql(analyst, 'mutation { removeOptOut(phone: "+442079460999") { phone } }'))).toBe('FORBIDDEN');

    expect((await api.gql(marketer, 'mutation { removeOptOut(phone: "+442079460999") { phone } }')).data!.removeOptOut).toEqual({ phone: '+442079460999' });
    expect(codeOf(await api.gql(marketer, 'mutation { removeOptOut(phone: "+442079460999") { phone } }'))).toBe('NOT_FOUND');
  });

  it("an analyst reads a list's contacts with their numbers masked", async () => {
    const listId = await newList('Masked');
    await api.gql(marketer, IMPORT, { l: listId, csv: 'Phone,Name,TZ\n+14155550177,Zoe,America/New_York' });
    const seen = await api.gql(analyst, 'query($l: ID!) { contacts(listId: $l) { edges { node { phone name timeZone } } } }', { l: listId });
    expect(seen.data!.contacts.edges).toEqual([{ node: { phone: '+1415*****77', name: 'Zoe', timeZone: 'America/New_York' } }]);
  });
});
