import { campaignHarness, type CampaignHarness } from './campaign-harness';

const number = (i: number) => `+1202555${String(1000 + i).padStart(4, '0')}`;

describe('a push campaign of a few hundred contacts against the simulator', () => {
  let h: CampaignHarness;
  beforeAll(async () => {
    h = await campaignHarness();
  });
  afterAll(() => h.close());

  it('ends with every disposition right, retries as configured, and never dials an opted-out number', async () => {
    const t = await h.tenant('Pizzeria', { callsPerSecond: 50, maxConcurrentCalls: 200 });
    const kinds = ['human', 'busy', 'no-answer', 'machine', 'busy-then-human'] as const;
    const perKind = 40;
    const byKind = new Map<string, string[]>(kinds.map((k) => [k, []]));
    for (let i = 0; i < kinds.length * perKind; i++) {
      const kind = kinds[i % kinds.length];
      byKind.get(kind)!.push(number(i));
      await h.phone(number(i), { answer: kind === 'busy-then-human' ? 'busy' : kind });
    }
    const optedOut = Array.from({ length: 10 }, (_, i) => number(900 + i));
    const all = [...[...byKind.values()].flat(), ...optedOut];
    await h.contacts.addToList(t.tenantId, t.listId, all.map((phone) => ({ phone })), 'marketer');
    for (const phone of optedOut) await h.contacts.optOut(t.tenantId, phone, 'pressed 9', 'gateway');
    const flips = new Set(byKind.get('busy-then-human'));
    h.statusHooks.push(async (params) => {
      if (params.CallStatus === 'busy' && flips.has(params.To)) await h.phone(params.To, { answer: 'human' });
    });

    const campaign = await h.campaigns.create(
      t.tenantId,
      h.campaignCommand(t, { maxAttempts: 3, retryDelays: { busy: 1, 'no-answer': 1 }, machineHandling: 'hang-up' }),
      'marketer',
    );
    await h.launcher.launch(t.tenantId, campaign.id, 'marketer');
    await h.waitFor('the campaign to complete', async () => (await h.campaigns.get(t.tenantId, campaign.id)).status === 'completed', 60_000);

    const rows = await h.dispositions(campaign.id);
    const dialed = (phone: string) => h.calls.filter((c) => c.to === phone).length;
    const expected = { human: ['human', 1], busy: ['busy', 3], 'no-answer': ['no-answer', 3], machine: ['machine', 1], 'busy-then-human': ['human', 2] } as const;
    for (const [kind, phones] of byKind) {
      const [disposition, attempts] = expected[kind as keyof typeof expected];
      for (const phone of phones) {
        expect({ phone, ...rows.get(phone), dialed: dialed(phone) }).toEqual({ phone, disposition, attempts, state: 'done', dialed: attempts });
      }
    }
    for (const phone of optedOut) expect({ phone, ...rows.get(phone), dialed: dialed(phone) }).toEqual({ phone, disposition: 'opted-out', attempts: 0, state: 'done', dialed: 0 });

    const progress = await h.campaigns.progress(t.tenantId, campaign.id);
    expect(progress).toEqual({
      status: 'completed',
      contacts: 210,
      states: { done: 210 },
      dispositions: { human: 80, busy: 40, 'no-answer': 40, machine: 40, 'opted-out': 10 },
    });
    // Every attempt was recorded before its call and reconciled after: one ended row per call, none left open.
    const { rows: attempts } = await h.owner.query(`SELECT status, count(*)::int AS n FROM campaign_attempts WHERE campaign_id = $1 GROUP BY status`, [campaign.id]);
    expect(attempts).toEqual([{ status: 'ended', n: h.calls.length }]);
  }, 90_000);
});
