import { campaignHarness, type CampaignHarness, clockFrom } from './campaign-harness';

// 06:59:55 UTC: 07:59:55 in Berlin (closed for five more seconds), 15:59:55 in Tokyo (open).
const START = new Date('2026-03-02T06:59:55Z');
const BERLIN_OPENS = new Date('2026-03-02T07:00:00Z').getTime();

describe('calling windows by the contact’s local time', () => {
  let h: CampaignHarness;
  beforeAll(async () => {
    h = await campaignHarness({ clock: clockFrom(START) });
  });
  afterAll(() => h.close());

  it('calls contacts outside their window when it opens, and the others at once', async () => {
    const t = await h.tenant('Bakery', { callsPerSecond: 20, maxConcurrentCalls: 50 });
    const berlin = Array.from({ length: 6 }, (_, i) => `+4930${1000000 + i * 7}`); // zone from the number's country (DE)
    const berlinByZone = Array.from({ length: 4 }, (_, i) => `+1202555${2000 + i}`); // a US number, but the contact lives in Berlin
    const tokyo = Array.from({ length: 6 }, (_, i) => `+1202555${3000 + i}`);
    await h.contacts.addToList(
      t.tenantId,
      t.listId,
      [
        ...berlin.map((phone) => ({ phone })),
        ...berlinByZone.map((phone) => ({ phone, timeZone: 'Europe/Berlin' })),
        ...tokyo.map((phone) => ({ phone, timeZone: 'Asia/Tokyo' })),
      ],
      'marketer',
    );
    const campaign = await h.campaigns.create(t.tenantId, h.campaignCommand(t, { callsPerSecond: 20 }), 'marketer');
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 20_000);

    const byNumber = new Map(h.calls.map((c) => [c.to, c.clockAt]));
    for (const phone of [...berlin, ...berlinByZone]) expect({ phone, calledAfterEight: byNumber.get(phone)! >= BERLIN_OPENS }).toEqual({ phone, calledAfterEight: true });
    for (const phone of tokyo) expect({ phone, calledBeforeBerlinOpened: byNumber.get(phone)! < BERLIN_OPENS }).toEqual({ phone, calledBeforeBerlinOpened: true });
    const rows = await h.dispositions(campaign.id);
    expect([...rows.values()].every((r) => r.disposition === 'human' && r.attempts === 1)).toBe(true);
  }, 30_000);
});
