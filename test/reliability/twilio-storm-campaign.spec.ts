import { loadavg } from 'node:os';
import { campaignHarness, type CampaignHarness, maxInAnyWindow } from '../campaigns/campaign-harness';

const number = (prefix: string, i: number) => `+1${prefix}555${String(1000 + i).padStart(4, '0')}`;

/**
 * Twilio's side failing while a campaign dials: the simulator's fault injection (POST /sim/faults) makes Calls.create
 * answer 500 or 429 for a few seconds. Through what a marketer sees: every contact is called once and answered,
 * nobody twice, and Twilio never gets more than the tenant's calls per second.
 */
describe('a campaign through a Twilio 500 storm and a 429 spell', () => {
  let h: CampaignHarness;
  beforeAll(async () => {
    h = await campaignHarness();
  });
  afterAll(() => h?.close());

  async function runThrough(fault: Record<string, unknown>, prefix: string) {
    const cps = 5;
    const t = await h.tenant(`Storm ${prefix}`, { callsPerSecond: cps, maxConcurrentCalls: 100 }, 200);
    const numbers = Array.from({ length: 20 }, (_, i) => number(prefix, i));
    await h.contacts.addToList(t.tenantId, t.listId, numbers.map((phone) => ({ phone })), 'marketer');
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: cps }), 'marketer');
    const added = await h.simClient.control<{ id: string }>('POST', '/sim/faults', { ...fault, accountSid: t.account.sid, path: '^/Calls\\.json$' });
    expect(added.status).toBe(201);
    const launchedAt = Date.now();
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 60_000);
    const faults = (await h.simClient.control<{ id: string; hits: number }[]>('GET', '/sim/faults')).body;
    const hits = faults.find((f) => f.id === added.body.id)!.hits;
    await h.simClient.control('DELETE', `/sim/faults/${added.body.id}`);

    const rows = await h.dispositions(campaign.id);
    const placed = h.calls.filter((c) => c.accountSid === t.account.sid);
    const perContact = numbers.map((phone) => ({ phone, ...rows.get(phone), dialed: placed.filter((c) => c.to === phone).length }));
    return { perContact, numbers, hits, maxPerSecond: maxInAnyWindow(placed.map((c) => c.at)), tookMs: Date.now() - launchedAt, cps };
  }

  it.each([
    ['a 500 storm of 3 s', { status: 500, forMs: 3_000 }, '646'],
    ['a 429 spell of 3 s on half the requests, with Retry-After', { status: 429, ratio: 0.5, seed: 10, forMs: 3_000, retryAfterSeconds: 1 }, '917'],
  ])('%s: no contact lost, none dialed twice, the rate never exceeded', async (name, fault, prefix) => {
    const run = await runThrough(fault, prefix);
    process.stdout.write(`twilio-storm (load ${loadavg()[0].toFixed(1)}) ${name}: ${JSON.stringify({ errorsGiven: run.hits, maxPerSecond: run.maxPerSecond, tookMs: run.tookMs })}\n`);
    expect(run.hits).toBeGreaterThan(0);
    for (const contact of run.perContact) {
      expect(contact).toEqual({ phone: contact.phone, disposition: 'human', attempts: 1, state: 'done', dialed: 1 });
    }
    expect(run.maxPerSecond).toBeLessThanOrEqual(run.cps);
  }, 70_000);
});
