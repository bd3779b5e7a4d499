import { CampaignException } from '@ringflow/campaign';
import { JobName } from '@ringflow/queue';
import { campaignHarness, type CampaignHarness } from './campaign-harness';

const number = (i: number) => `+1646555${String(1000 + i).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pause, resume and cancel', () => {
  let h: CampaignHarness;
  beforeAll(async () => {
    h = await campaignHarness();
  });
  afterAll(() => h.close());

  async function started(name: string, count: number, cps: number, offset: number) {
    const t = await h.tenant(name, { callsPerSecond: cps, maxConcurrentCalls: 100 });
    const numbers = Array.from({ length: count }, (_, i) => number(offset + i));
    await h.contacts.addToList(t.tenantId, t.listId, numbers.map((phone) => ({ phone })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: cps }), 'marketer');
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    const placed = () => h.calls.filter((c) => c.accountSid === t.account.sid).length;
    return { t, numbers, campaign, placed };
  }

  it('pause stops new dials within a second; resume finishes the rest, each contact dialed once', async () => {
    const { t, numbers, campaign, placed } = await started('Gym', 40, 10, 0);
    await h.waitFor('some calls', () => placed() >= 8);
    await h.launcher.pause(t.tenantId, campaign.id, 'marketer');
    await sleep(1000);
    const atPause = placed();
    await sleep(2000);
    expect(placed()).toBe(atPause);
    expect(atPause).toBeLessThan(40);
    expect((await h.campaigns.get(t.tenantId, campaign.id)).status).toBe('paused');

    await h.launcher.resume(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 20_000);
    for (const phone of numbers) expect({ phone, dialed: h.calls.filter((c) => c.to === phone).length }).toEqual({ phone, dialed: 1 });
  }, 40_000);

  it('a scheduled campaign starts by itself at its time', async () => {
    const t = await h.tenant('Cafe', { callsPerSecond: 10, maxConcurrentCalls: 100 });
    const numbers = Array.from({ length: 5 }, (_, i) => number(200 + i));
    await h.contacts.addToList(t.tenantId, t.listId, numbers.map((phone) => ({ phone })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: 10 }), 'marketer');
    const at = new Date(Date.now() + 1500);
    expect((await h.launcher.schedule(t.tenantId, campaign.id, at, 'marketer')).status).toBe('scheduled');
    await sleep(500);
    expect(h.calls.filter((c) => c.accountSid === t.account.sid)).toHaveLength(0);
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 15_000);
    const first = Math.min(...h.calls.filter((c) => c.accountSid === t.account.sid).map((c) => c.at));
    expect(first).toBeGreaterThanOrEqual(at.getTime());
    expect((await h.campaigns.get(t.tenantId, campaign.id)).startedAt!.getTime()).toBeGreaterThanOrEqual(at.getTime() - 50);
  }, 20_000);

  it('cancel ends the campaign: no new dials, the rest closed as cancelled', async () => {
    const { t, numbers, campaign, placed } = await started('Spa', 40, 10, 100);
    await h.waitFor('some calls', () => placed() >= 5);
    await h.launcher.cancel(t.tenantId, campaign.id, 'marketer');
    await sleep(1000);
    const atCancel = placed();
    await sleep(1500);
    expect(placed()).toBe(atCancel);
    const rows = await h.dispositions(campaign.id);
    const cancelled = [...rows.values()].filter((r) => r.disposition === 'cancelled').length;
    expect(cancelled).toBe(numbers.length - atCancel);
    expect((await h.campaigns.get(t.tenantId, campaign.id)).status).toBe('cancelled');
    await expect(h.launcher.resume(t.tenantId, campaign.id, 'marketer')).rejects.toThrow(new CampaignException('invalid-transition' as never, 'cannot resume a cancelled campaign (only from: paused)'));
  }, 30_000);
});

describe('expansion', () => {
  let h: CampaignHarness;
  beforeAll(async () => {
    h = await campaignHarness({ runWorkers: false, expansion: { pageSize: 25 } });
  });
  afterAll(() => h.close());

  it('expands the audience in pages into dial jobs; expanding twice queues nothing twice', async () => {
    const t = await h.tenant('Florist', { callsPerSecond: 10, maxConcurrentCalls: 10 });
    await h.contacts.addToList(t.tenantId, t.listId, Array.from({ length: 60 }, (_, i) => ({ phone: number(500 + i) })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: 10 }), 'marketer');
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');

    const pages = [];
    for (let round = 0; round < 2; round++) {
      let after: number | null = 0;
      while (after !== null) {
        const page = await h.expander.expandPage(t.tenantId, campaign.id, after);
        pages.push(page.enqueued);
        after = page.nextAfterSeq;
      }
    }
    expect(pages).toEqual([25, 25, 10, 25, 25, 10]);
    const jobs = await h.queues.dials.getJobs(['delayed', 'waiting']);
    expect(jobs).toHaveLength(60);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(60);
    expect(jobs.every((j) => j.name === JobName.DialContact && !j.id!.includes(':'))).toBe(true);
    // Ids and the tenant only: no phone numbers in the queue.
    expect(jobs.every((j) => Object.keys(j.data).sort().join() === 'attempt,campaignId,contactId,tenantId' && !JSON.stringify(j.data).includes('+1'))).toBe(true);
    // At the pace (10 a second: slots 100 ms apart, none given out yet, no worker here), each dial due 300 ms before
    // its slot: the first four of each page at once, then 100 ms apart.
    const delays = jobs.map((j) => j.opts.delay ?? 0);
    expect(Math.max(...delays)).toBe(24 * 100 - 300);
    expect(delays.filter((d) => d === 0)).toHaveLength(3 * 4);
    expect(delays.filter((d) => d === 9 * 100 - 300)).toHaveLength(3);
  });

  it('refuses a campaign whose list does not exist or whose window is wider than the law allows', async () => {
    const t = await h.tenant('Bookshop', { callsPerSecond: 10, maxConcurrentCalls: 10 });
    await expect(h.campaigns.create(t.tenantId, h.campaignCommand(t, { listId: '00000000-0000-4000-8000-000000000000' }), 'm')).rejects.toMatchObject({
      code: 'not-found',
      field: 'listId',
    });
    await expect(h.campaigns.create(t.tenantId, h.campaignCommand(t, { window: { start: '07:00', end: '12:00' } }), 'm')).rejects.toMatchObject({
      code: 'invalid-input',
      field: 'window.start',
    });
    await expect(h.contacts.addToList(t.tenantId, t.listId, [{ phone: '+12025550100' }, { phone: '12345' }], 'm')).rejects.toMatchObject({
      code: 'invalid-input',
      field: 'contacts[1].phone',
    });
  });
});
