import { redemptionsHarness, type RedemptionsHarness } from './support/redemptions-harness';

let h: RedemptionsHarness;

beforeAll(async () => {
  h = await redemptionsHarness();
});

afterAll(async () => {
  await h?.close();
});

const CALL_SID = `CA${'ab12'.repeat(8)}`;

async function processedAt(eventId: string): Promise<Date | null> {
  const { rows } = await h.owner.query('SELECT processed_at FROM coupon_events WHERE id = $1', [eventId]);
  return rows[0].processed_at;
}

describe('redemption tracking (worker-redemptions)', () => {
  it('attributes a redemption to its promotion, call and merchant, and counts it with its revenue once', async () => {
    const t = await h.tenant('Attribution');
    const { coupon, eventId } = await h.redeemed(t, '12.50', { callSid: CALL_SID });

    await h.waitFor('the event to be processed', async () => (await processedAt(eventId)) !== null);

    const { rows } = await h.owner.query('SELECT * FROM redemption_attributions WHERE tenant_id = $1', [t.tenantId]);
    expect(rows).toEqual([
      expect.objectContaining({
        event_id: eventId, coupon_id: coupon.id, promotion_id: t.promotionId, campaign_id: null, contact_id: null,
        call_sid: CALL_SID, merchant_id: t.merchantId, order_amount: '12.50',
      }),
    ]);
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 1, redeemed: 1, revenue: '12.50' });
    expect(await h.funnel.totals(t.tenantId, { campaignId: null, promotionId: t.promotionId })).toMatchObject({ redeemed: 1, revenue: '12.50' });
  });

  it('counts a replayed redemption event once', async () => {
    const t = await h.tenant('Replay');
    const { eventId } = await h.redeemed(t, '30.00');
    await h.waitFor('the event to be processed', async () => (await processedAt(eventId)) !== null);

    // The worker died before marking it: the outbox hands the same event out again, twice.
    // The worker died before marking it: the outbox hands the same event out again, to the worker and two more runs at once.
    await h.owner.query('UPDATE coupon_events SET processed_at = NULL WHERE id = $1', [eventId]);
    const replays = await Promise.all([h.tracker.track(t.tenantId, eventId), h.tracker.track(t.tenantId, eventId)]);
    await h.waitFor('the event to be processed again', async () => (await processedAt(eventId)) !== null);

    for (const replay of replays) expect(replay.kind === 'already-processed' || (replay.kind === 'tracked' && !replay.counted)).toBe(true);

    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ redeemed: 1, revenue: '30.00' });
    const { rows } = await h.owner.query('SELECT count(*)::int AS n FROM redemption_attributions WHERE tenant_id = $1', [t.tenantId]);
    expect(rows[0].n).toBe(1);
  });
});
