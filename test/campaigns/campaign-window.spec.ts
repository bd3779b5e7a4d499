import { campaignHarness, type CampaignHarness, heldClock } from './campaign-harness';

// 06:59:52 UTC at launch: 07:59:52 in Berlin (closed for eight more seconds), 15:59:52 in Tokyo (open).
const START = new Date('2026-03-02T06:59:52Z');
const BERLIN_OPENS = new Date('2026-03-02T07:00:00Z').getTime();

describe('calling windows by the contact’s local time', () => {
  let h: CampaignHarness;
  // The clock stands at START through the set-up and runs from the launch, so a slow machine's set-up cannot use up
  // the Tokyo contacts' head start.
  const time = heldClock(START);
  beforeAll(async () => {
    h = await campaignHarness({ clock: time.clock });
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
    time.go();
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 20_000);

    const byNumber = new Map(h.calls.map((c) => [c.to, c.clockAt]));
    for (const phone of [...berlin, ...berlinByZone]) expect({ phone, calledAfterEight: byNumber.get(phone)! >= BERLIN_OPENS }).toEqual({ phone, calledAfterEight: true });
    for (const phone of tokyo) expect({ phone, calledBeforeBerlinOpened: byNumber.get(phone)! < BERLIN_OPENS }).toEqual({ phone, calledBeforeBerlinOpened: true });
    const rows = await h.dispositions(campaign.id);
    expect([...rows.values()].every((r) => r.disposition === 'human' && r.attempts === 1)).toBe(true);
  }, 30_000);
});
