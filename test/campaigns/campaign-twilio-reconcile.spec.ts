import { CampaignReconciler } from '../../apps/worker-calls/src/campaign-reconciler';
import { dropNamespace } from '../workers/support/wait-for';
import { campaignHarness, type CampaignHarness } from './campaign-harness';

/** The sim's calls to a number, oldest first. */
async function simCallsTo(h: CampaignHarness, to: string): Promise<Array<{ sid: string; status: string }>> {
  const res = await h.simClient.control<Array<{ sid: string; status: string }>>('GET', `/sim/calls?to=${encodeURIComponent(to)}`);
  return res.body;
}

describe('campaign attempts reconciled with Twilio', () => {
  let h: CampaignHarness;
  beforeAll(async () => {
    // Attempts without an outcome for 3 s are asked about at Twilio, every 300 ms; an ambiguous dial looks for its call after 300 ms.
    h = await campaignHarness({ reconciler: { intervalMs: 300, attemptBoundMs: 3000 }, lookupSettleMs: 300 });
  });
  afterAll(async () => {
    await h.simClient.control('DELETE', '/sim/faults');
    await h.close();
  });

  const attemptsOf = async (campaignId: string) =>
    (
      await h.owner.query(
        `SELECT c.phone, a.attempt, a.status, a.call_sid, a.outcome FROM campaign_attempts a JOIN contacts c ON c.tenant_id = a.tenant_id AND c.id = a.contact_id
          WHERE a.campaign_id = $1 ORDER BY c.phone, a.attempt`,
        [campaignId],
      )
    ).rows as Array<{ phone: string; attempt: number; status: string; call_sid: string | null; outcome: string | null }>;

  it('a call Twilio placed but answered 500 for is adopted, not dialed again: one call per contact, the attempt holds its SID', async () => {
    const t = await h.tenant('Bakery', { callsPerSecond: 20, maxConcurrentCalls: 100 });
    const numbers = Array.from({ length: 12 }, (_, i) => `+1212555${String(2000 + i)}`);
    await h.contacts.addToList(t.tenantId, t.listId, numbers.map((phone) => ({ phone })), 'marketer');
    const fault = await h.simClient.control<{ id: string }>('POST', '/sim/faults', {
      status: 500,
      path: '^/Calls\\.json$',
      method: 'POST',
      effect: 'accepted',
      ratio: 0.5,
      seed: 7,
      accountSid: t.account.sid,
    });
    expect(fault.status).toBe(201);
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: 20, maxAttempts: 3, retryDelays: { unknown: 1, failed: 1 } }), 'marketer');
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 20_000);

    // A call's status callback can close its contact before the dial that placed it has adopted its SID.
    await h.waitFor('every attempt to hold its call', async () => (await attemptsOf(campaign.id)).every((a) => a.call_sid), 10_000);
    const { body: faults } = await h.simClient.control<Array<{ id: string; hits: number }>>('GET', '/sim/faults');
    expect(faults.find((f) => f.id === fault.body.id)?.hits).toBeGreaterThan(0);
    const attempts = await attemptsOf(campaign.id);
    for (const phone of numbers) {
      const calls = await simCallsTo(h, phone);
      const mine = attempts.filter((a) => a.phone === phone);
      expect({ phone, calls: calls.length, attempts: mine.map((a) => [a.outcome, a.call_sid]) }).toEqual({ phone, calls: 1, attempts: [['human', calls[0].sid]] });
    }
    const rows = await h.dispositions(campaign.id);
    expect([...rows.values()].map((r) => r.disposition)).toEqual(numbers.map(() => 'human'));
  }, 25_000);

  it('a lost status callback: the contact gets the outcome Twilio has for the call, once', async () => {
    const t = await h.tenant('Garage', { callsPerSecond: 10, maxConcurrentCalls: 50 });
    const script = { '+13125550101': 'busy', '+13125550102': 'no-answer', '+13125550103': 'human' } as const;
    for (const [phone, answer] of Object.entries(script)) await h.phone(phone, { answer });
    const lost = new Set(Object.keys(script));
    h.statusHooks.push((params) => {
      if (lost.has(params.To)) throw new Error('status callback lost');
    });
    await h.contacts.addToList(t.tenantId, t.listId, Object.keys(script).map((phone) => ({ phone })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: 10 }), 'marketer');
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 20_000);

    const rows = await h.dispositions(campaign.id);
    expect(Object.fromEntries([...rows].map(([phone, r]) => [phone, r.disposition]))).toEqual(script);
    for (const phone of lost) expect((await simCallsTo(h, phone)).length).toBe(1);
    expect((await attemptsOf(campaign.id)).map((a) => a.status)).toEqual(['ended', 'ended', 'ended']);
  }, 25_000);

  it("the campaign's queued jobs wiped from Redis mid-campaign (a restart): the campaign finishes, every contact called and disposed once", async () => {
    const t = await h.tenant('Dentist', { callsPerSecond: 10, maxConcurrentCalls: 50 });
    const numbers = Array.from({ length: 40 }, (_, i) => `+1617555${String(3000 + i)}`);
    await h.contacts.addToList(t.tenantId, t.listId, numbers.map((phone) => ({ phone })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: 10 }), 'marketer');
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    const placed = async () => (await Promise.all(numbers.map((n) => simCallsTo(h, n)))).reduce((sum, calls) => sum + calls.length, 0);
    await h.waitFor('a few calls', async () => (await placed()) >= 5);
    await dropNamespace(h.namespace);
    const atWipe = await placed();
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 20_000);

    expect(atWipe).toBeLessThan(numbers.length);
    for (const phone of numbers) expect({ phone, calls: (await simCallsTo(h, phone)).length }).toEqual({ phone, calls: 1 });
    const rows = await h.dispositions(campaign.id);
    expect([...rows.values()].filter((r) => r.state === 'done' && r.disposition === 'human' && r.attempts === 1)).toHaveLength(numbers.length);
  }, 28_000);

  it('runs one reconcile at a time across processes: of runs started together, at most one goes ahead', async () => {
    const reconciler = h.app.get(CampaignReconciler);
    for (let round = 0; round < 3; round++) {
      const runs = await Promise.all([reconciler.runOnce(), reconciler.runOnce(), reconciler.runOnce()]);
      expect(runs.filter((r) => r !== null).length).toBeLessThanOrEqual(1);
    }
    // Released after each run: a later one goes ahead (unless the background timer holds it right then).
    await h.waitFor('a run to go ahead', async () => (await reconciler.runOnce()) !== null, 5000);
  });
});
