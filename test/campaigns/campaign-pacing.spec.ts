import { campaignHarness, type CampaignHarness, maxInAnyWindow } from './campaign-harness';

const number = (prefix: string, i: number) => `+1${prefix}555${String(1000 + i).padStart(4, '0')}`;

/** Calls per whole second since the first call (shown when the test fails). */
function perSecond(times: number[]): number[] {
  const first = Math.min(...times);
  const buckets: number[] = [];
  for (const t of times) buckets[Math.floor((t - first) / 1000)] = (buckets[Math.floor((t - first) / 1000)] ?? 0) + 1;
  return Array.from(buckets, (n) => n ?? 0);
}

describe('pacing two tenants at once', () => {
  let h: CampaignHarness;
  beforeAll(async () => {
    h = await campaignHarness();
  });
  afterAll(() => h.close());

  it('keeps each tenant to its own calls per second in every one-second window, and starves neither', async () => {
    // Twilio would take 200 a second from each account: only the platform's pacing holds them back.
    const slow = await h.tenant('Slow', { callsPerSecond: 5, maxConcurrentCalls: 100 }, 200);
    const fast = await h.tenant('Fast', { callsPerSecond: 20, maxConcurrentCalls: 100 }, 200);
    const slowNumbers = Array.from({ length: 35 }, (_, i) => number('212', i));
    const fastNumbers = Array.from({ length: 140 }, (_, i) => number('312', i));
    await h.contacts.addToList(slow.tenantId, slow.listId, slowNumbers.map((phone) => ({ phone })), 'marketer');
    await h.contacts.addToList(fast.tenantId, fast.listId, fastNumbers.map((phone) => ({ phone })), 'marketer');
    // Campaigns ask for more than their tenant may do; two campaigns of the fast tenant share its 20.
    const slowCampaign = await h.campaigns.create(slow.tenantId, h.campaignCommand(slow, { callsPerSecond: 50 }), 'marketer');
    const fastA = await h.contacts.createList(fast.tenantId, 'second list', 'marketer');
    await h.contacts.addToList(fast.tenantId, fastA.id, fastNumbers.slice(0, 40).map((phone) => ({ phone })), 'marketer');
    const fastCampaign = await h.campaigns.create(fast.tenantId, h.campaignCommand(fast, { callsPerSecond: 50 }), 'marketer');
    const fastSecond = await h.campaigns.create(fast.tenantId, h.campaignCommand({ ...fast, listId: fastA.id }, { callsPerSecond: 50 }), 'marketer');

    await Promise.all([
      h.launcher.launch(slow.tenantId, slowCampaign.id, 'marketer'),
      h.launcher.launch(fast.tenantId, fastCampaign.id, 'marketer'),
      h.launcher.launch(fast.tenantId, fastSecond.id, 'marketer'),
    ]);
    const status = async (tenantId: typeof slow.tenantId, id: string) => (await h.campaigns.get(tenantId, id)).status;
    await h.waitFor('all three campaigns to complete', async () =>
      (await Promise.all([status(slow.tenantId, slowCampaign.id), status(fast.tenantId, fastCampaign.id), status(fast.tenantId, fastSecond.id)])).every((s) => s === 'completed'),
    60_000);

    const slowTimes = h.calls.filter((c) => c.accountSid === slow.account.sid).map((c) => c.at);
    const fastTimes = h.calls.filter((c) => c.accountSid === fast.account.sid).map((c) => c.at);
    expect(slowTimes).toHaveLength(35);
    expect(fastTimes).toHaveLength(180);
    const secondList = new Set(fastNumbers.slice(0, 40));
    const fastCalls = h.calls.filter((c) => c.accountSid === fast.account.sid).sort((a, b) => a.at - b.at);
    const meanRate = (times: number[]) => (times.length - 1) / ((Math.max(...times) - Math.min(...times)) / 1000);
    const figures = {
      slowMax: maxInAnyWindow(slowTimes),
      fastMax: maxInAnyWindow(fastTimes),
      slowMean: meanRate(slowTimes),
      fastMean: meanRate(fastTimes),
      secondCampaignInFirstHalf: fastCalls.slice(0, 90).filter((c) => secondList.has(c.to)).length,
      slowPerSecond: perSecond(slowTimes),
      fastPerSecond: perSecond(fastTimes),
    };
    expect({
      // Never more than its own rate in any one-second window at Twilio.
      slowWithinFive: figures.slowMax <= 5,
      fastWithinTwenty: figures.fastMax <= 20,
      // Side by side, each near its own rate: the fast tenant did not crowd out the slow one. (Strict pacing
      // counts a dial until Twilio's answer is back, so a loaded machine costs some rate, never more than cps.)
      slowNotStarved: figures.slowMean >= 2.5,
      fastNotStarved: figures.fastMean >= 10,
      // The fast tenant's two campaigns were interleaved, not one after the other.
      campaignsInterleaved: figures.secondCampaignInFirstHalf >= 20,
      figures,
    }).toEqual({ slowWithinFive: true, fastWithinTwenty: true, slowNotStarved: true, fastNotStarved: true, campaignsInterleaved: true, figures });
  }, 60_000);

  it('retries a call Twilio refuses with 429 until it is placed, each contact once', async () => {
    // The account takes 3 a second but the tenant is allowed 10: Twilio pushes back and the dials back off.
    const t = await h.tenant('Pushy', { callsPerSecond: 10, maxConcurrentCalls: 100 }, 3);
    const numbers = Array.from({ length: 15 }, (_, i) => number('415', i));
    await h.contacts.addToList(t.tenantId, t.listId, numbers.map((phone) => ({ phone })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: 10 }), 'marketer');
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 45_000);
    const rows = await h.dispositions(campaign.id);
    for (const phone of numbers) {
      expect({ phone, ...rows.get(phone), dialed: h.calls.filter((c) => c.to === phone).length }).toEqual({ phone, disposition: 'human', attempts: 1, state: 'done', dialed: 1 });
    }
    const { rows: refused } = await h.owner.query(`SELECT count(*)::int AS n FROM campaign_attempts WHERE campaign_id = $1 AND error LIKE 'rate-limited%'`, [campaign.id]);
    expect(refused[0].n).toBeGreaterThan(0);
  }, 60_000);
});
