import { Client } from 'pg';
import { startAdminApi } from '../support/admin-api-harness';

/** Every SQL statement the process sends while `work` runs (the admin API runs in this process). */
async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = Client.prototype.query;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const config = args[0] as string | { text: string };
    seen.push(typeof config === 'string' ? config : config.text);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await work();
  } finally {
    Client.prototype.query = original;
  }
  return seen;
}

const PAGE = 'query($n: Int, $after: String) { campaigns(first: $n, after: $after) { edges { cursor node { id name status progress { contacts pending done dispositions { disposition count } } } } pageInfo { hasNextPage endCursor } } }';

describe('a page of campaigns with their progress costs a bounded number of SQL statements', () => {
  let api: Awaited<ReturnType<typeof startAdminApi>>;
  let marketer: string;
  beforeAll(async () => {
    api = await startAdminApi();
    const { adminKey } = await api.tenantWithAdmin('Busy Marketing');
    marketer = (await api.keyFor(adminKey, 'MARKETER')).secret;
    const listId = (await api.gql(marketer, 'mutation { createContactList(name: "All") { id } }')).data!.createContactList.id;
    const rows = Array.from({ length: 20 }, (_, i) => ({ phone: `+1415555${String(1000 + i)}` }));
    await api.gql(marketer, 'mutation($l: ID!, $r: [ContactInput!]) { importContacts(listId: $l, rows: $r) { imported } }', { l: listId, r: rows });
    for (let i = 0; i < 55; i++) {
      const created = await api.gql(marketer, 'mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }', {
        i: { name: `Campaign ${i}`, listId, callerId: '+14155550100', answerUrl: 'https://crm.example/a', callsPerSecond: 1, maxConcurrentCalls: 1 },
      });
      const id = created.data!.createCampaign.id;
      if (i % 2 === 0) await api.gql(marketer, 'mutation($id: ID!) { launchCampaign(id: $id) { id } }', { id });
      if (i % 4 === 0) await api.gql(marketer, 'mutation($id: ID!) { cancelCampaign(id: $id) { id } }', { id });
    }
  }, 60_000);
  afterAll(() => api.close());

  it('50 campaigns with progress read in the same statements as 5, the campaigns and their counts in one', async () => {
    await api.gql(marketer, PAGE, { n: 1 }); // the key's last-used stamp is written now, not during the measurements
    let small: Record<string, any> = {};
    let large: Record<string, any> = {};
    const five = await statementsDuring(async () => (small = (await api.gql(marketer, PAGE, { n: 5 })).data!));
    const fifty = await statementsDuring(async () => (large = (await api.gql(marketer, PAGE, { n: 50 })).data!));

    expect(small.campaigns.edges).toHaveLength(5);
    expect(large.campaigns.edges).toHaveLength(50);
    const touchingCampaigns = (statements: string[]) => statements.filter((s) => /campaign/i.test(s));
    expect({ five: touchingCampaigns(five).length, fifty: touchingCampaigns(fifty).length }).toEqual({ five: 1, fifty: 1 });
    expect(fifty.length).toBe(five.length);
    expect(fifty.length).toBeLessThanOrEqual(8);

    const nodes = large.campaigns.edges.map((e: { node: any }) => e.node);
    const launched = nodes.filter((n: any) => n.status === 'RUNNING');
    const cancelled = nodes.filter((n: any) => n.status === 'CANCELLED');
    expect(launched.length).toBeGreaterThan(0);
    expect(launched.every((n: any) => n.progress.contacts === 20 && n.progress.pending === 20)).toBe(true);
    expect(cancelled.every((n: any) => n.progress.done === 20 && n.progress.dispositions[0].count === 20)).toBe(true);
  });

  it('the pages follow each other without gaps or repeats, newest first', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Record<string, any> = (await api.gql(marketer, PAGE, { n: 20, after })).data!;
      seen.push(...page.campaigns.edges.map((e: { node: { name: string } }) => e.node.name));
      after = page.campaigns.pageInfo.hasNextPage ? page.campaigns.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 55 }, (_, i) => `Campaign ${54 - i}`));
  });

  it('refuses a page size over 100 and a cursor it did not give, naming the argument', async () => {
    const big = await api.gql(marketer, PAGE, { n: 101 });
    expect(big.errors![0]).toMatchObject({ message: 'first must be a whole number from 1 to 100, not 101', extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    const forged = await api.gql(marketer, PAGE, { n: 5, after: 'not a cursor!' });
    expect(forged.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
