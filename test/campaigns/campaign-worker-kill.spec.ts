import { daytimeZone } from '@ringflow/testing';
import { campaignHarness, type CampaignHarness, maxInAnyWindow } from './campaign-harness';
import { WorkerProcess } from './worker-process';

const number = (i: number) => `+1718555${String(1000 + i).padStart(4, '0')}`;

describe('worker processes side by side, one killed mid-campaign', () => {
  let h: CampaignHarness;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    // This process only launches and records outcomes; the dialing happens in worker processes.
    h = await campaignHarness({ runWorkers: false });
  });
  afterAll(async () => {
    for (const w of workers) await w.stop('SIGKILL');
    await h.close();
  });

  it('share the tenant rate; the killed one is taken over: every contact gets a disposition and no attempt is dialed twice', async () => {
    const t = await h.tenant('Cinema', { callsPerSecond: 20, maxConcurrentCalls: 100 });
    const numbers = Array.from({ length: 120 }, (_, i) => number(i));
    await h.contacts.addToList(t.tenantId, t.listId, numbers.map((phone) => ({ phone, timeZone: daytimeZone() })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: 20, maxAttempts: 2, retryDelays: { unknown: 1 } }), 'marketer');
    const env = { ...h.env, JOB_LOCK_MS: '2000', LOG_LEVEL: 'info' };

    const [first, second, third] = [new WorkerProcess(env), new WorkerProcess(env), new WorkerProcess(env)];
    workers.push(first, second, third);
    await Promise.all([first.start(), second.start()]);
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('a third of the calls', () => h.calls.length >= 40);
    await first.stop('SIGKILL');
    const atKill = h.calls.length;
    await third.start();
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 45_000);
    await Promise.all([second.stop('SIGTERM'), third.stop('SIGTERM')]);

    expect(atKill).toBeLessThan(120);
    // Two processes dialed for the tenant at any time; together they kept to its 20 a second.
    expect(maxInAnyWindow(h.calls.map((c) => c.at))).toBeLessThanOrEqual(20);
    const rows = await h.dispositions(campaign.id);
    expect([...rows.values()].every((r) => r.state === 'done')).toBe(true);
    const { rows: attempts } = await h.owner.query(
      `SELECT c.phone, a.attempt, a.call_sid, a.outcome FROM campaign_attempts a JOIN contacts c ON c.tenant_id = a.tenant_id AND c.id = a.contact_id
        WHERE a.campaign_id = $1`,
      [campaign.id],
    );
    // Each call the simulator saw belongs to one attempt; an attempt has at most one call.
    const sids = attempts.filter((a) => a.call_sid).map((a) => a.call_sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const phone of numbers) {
      const mine = attempts.filter((a) => a.phone === phone);
      const dialed = h.calls.filter((c) => c.to === phone).length;
      // Every phone answers: an attempt that ended 'human' was one call; one cut short by the kill ('unknown') at most one.
      const least = mine.filter((a) => a.outcome === 'human').length;
      expect({ phone, dialedWithinAttempts: dialed >= least && dialed <= mine.length }).toEqual({ phone, dialedWithinAttempts: true });
    }
    // Everyone was reached in the end; only a dial cut short by the kill needed its second attempt.
    expect([...rows.values()].filter((r) => r.disposition === 'human')).toHaveLength(120);
  }, 90_000);
});
