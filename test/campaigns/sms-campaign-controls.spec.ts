import { CampaignLauncher } from '@ringflow/campaign';
import { waitFor } from '../workers/support/wait-for';
import { smsCampaignHarness } from './sms-campaign-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const phoneOf = (block: number, i: number) => `+1${block}555${String(1000 + i).padStart(4, '0')}`;

describe('pausing, resuming and cancelling an SMS campaign', () => {
  let h: Awaited<ReturnType<typeof smsCampaignHarness>>;
  let launcher: CampaignLauncher;
  beforeAll(async () => {
    h = await smsCampaignHarness(2);
    launcher = h.apps[0].get(CampaignLauncher);
  });
  afterAll(() => h.close());

  async function started(name: string, block: number, count: number) {
    const t = await h.tenant(name);
    const list = await h.contacts.createList(t.tenantId, 'Everyone', 'marketer');
    const phones = Array.from({ length: count }, (_, i) => phoneOf(block, i));
    await h.contacts.addToList(t.tenantId, list.id, phones.map((phone) => ({ phone })), 'marketer');
    const campaign = await h.smsCampaigns.create(t.tenantId, { name, listId: list.id, senderNumber: t.sender, template: 'Half price today.', messagesPerSecond: 10 }, 'marketer');
    const sent = () => h.sent.filter((m) => m.from === t.sender);
    return { t, phones, campaign, sent };
  }

  it('pause stops new sends within a second; resume sends the rest, each contact once', async () => {
    const { t, phones, campaign, sent } = await started('Bakery', 202, 40);
    await waitFor('some messages out', () => sent().length >= 8, 20_000);
    expect((await launcher.pause(t.tenantId, campaign.id, 'marketer')).status).toBe('paused');
    await sleep(1000);
    const atPause = sent().length;
    await sleep(2000);
    expect(sent().length).toBe(atPause);
    expect(atPause).toBeLessThan(phones.length);
    const paused = await h.smsCampaigns.get(t.tenantId, campaign.id);
    expect(paused).toMatchObject({ status: 'paused', progress: { pending: phones.length - atPause } });

    expect((await launcher.resume(t.tenantId, campaign.id, 'marketer')).status).toBe('running');
    let last: unknown;
    await waitFor('the campaign to complete', async () => {
      const now = await h.smsCampaigns.get(t.tenantId, campaign.id);
      last = { status: now.status, progress: now.progress, sent: sent().length };
      return now.status === 'completed';
    }, 25_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(last)}`);
    });
    const recipients = sent().map((m) => m.to).sort();
    expect(recipients).toEqual([...phones].sort());
    expect((await h.smsCampaigns.get(t.tenantId, campaign.id)).progress).toMatchObject({ contacts: phones.length, pending: 0, cancelled: 0 });
  }, 40_000);

  it('cancel ends it: no new sends, the rest closed as cancelled, and it cannot be resumed', async () => {
    const { t, phones, campaign, sent } = await started('Butcher', 312, 40);
    await waitFor('some messages out', () => sent().length >= 5, 20_000);
    expect((await launcher.cancel(t.tenantId, campaign.id, 'marketer')).status).toBe('cancelled');
    await sleep(1000);
    const atCancel = sent().length;
    await sleep(1500);
    expect(sent().length).toBe(atCancel);
    await waitFor('every message closed', async () => (await h.smsCampaigns.get(t.tenantId, campaign.id)).progress.pending === 0, 15_000);
    const done = await h.smsCampaigns.get(t.tenantId, campaign.id);
    expect(done.status).toBe('cancelled');
    expect(done.progress.cancelled).toBe(phones.length - atCancel);
    await expect(launcher.resume(t.tenantId, campaign.id, 'marketer')).rejects.toMatchObject({ code: 'invalid-transition' });
  }, 40_000);
});
