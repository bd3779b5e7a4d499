import { campaignHarness, type CampaignHarness } from './campaign-harness';

const number = (i: number) => `+1212555${String(i).padStart(4, '0')}`;

/** The lookup every dial makes for its contact (CampaignAttemptsService.dialContext), as the planner would run it. */
const DIAL_LOOKUP = `SELECT c.phone, cc.state, cc.attempts FROM campaign_contacts cc
  JOIN contacts c ON c.tenant_id = cc.tenant_id AND c.id = cc.contact_id
 WHERE cc.tenant_id = $1 AND cc.campaign_id = $2 AND cc.contact_id = $3`;

describe('a launched audience is looked up by its primary key', () => {
  let h: CampaignHarness;
  beforeAll(async () => {
    h = await campaignHarness();
  });
  afterAll(() => h.close());

  /** The campaign_contacts index the planner picks for one contact's lookup, and the index entries it reads. */
  async function lookupPlan(tenantId: string, campaignId: string): Promise<{ index: string; rowsRead: number }> {
    const { rows: [member] } = await h.owner.query(`SELECT contact_id FROM campaign_contacts WHERE campaign_id = $1 ORDER BY seq DESC LIMIT 1`, [campaignId]);
    const { rows } = await h.owner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${DIAL_LOOKUP}`, [tenantId, campaignId, member.contact_id]);
    const scans: Array<Record<string, unknown>> = [];
    const walk = (node: Record<string, unknown>) => {
      if (node['Relation Name'] === 'campaign_contacts') scans.push(node);
      for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
    };
    walk(rows[0]['QUERY PLAN'][0].Plan);
    expect(scans).toHaveLength(1);
    const scan = scans[0];
    return { index: String(scan['Index Name']), rowsRead: Number(scan['Actual Rows']) + Number(scan['Rows Removed by Filter'] ?? 0) };
  }

  it('after launching 2,000 contacts on a table never analyzed, one contact costs one index entry, not the audience', async () => {
    const t = await h.tenant('Bakery', { callsPerSecond: 1, maxConcurrentCalls: 10 });
    await h.contacts.addToList(t.tenantId, t.listId, Array.from({ length: 2000 }, (_, i) => ({ phone: number(i) })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t), 'marketer');
    // The snapshot alone (no expansion queued): the plan is what matters here, not the dials.
    await h.campaigns.transition(t.tenantId, campaign.id, 'launch', 'marketer');
    expect(await lookupPlan(t.tenantId, campaign.id)).toEqual({ index: 'campaign_contacts_pkey', rowsRead: 1 });
  });
});
