import { REDIS } from '@ringflow/database';
import type Redis from 'ioredis';
import { waitFor } from '../workers/support/wait-for';
import { smsCampaignHarness } from './sms-campaign-harness';

const CONTACTS = 150;
const MPS = 5;
const phoneOf = (i: number) => `+1202555${String(1000 + i).padStart(4, '0')}`;

/** The most messages any one-second window (sliding, by the simulator's clock) held. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('an SMS campaign', () => {
  let h: Awaited<ReturnType<typeof smsCampaignHarness>>;
  beforeAll(async () => {
    h = await smsCampaignHarness(2);
  });
  afterAll(() => h.close());

  it(`texts ${CONTACTS} contacts from one sender at ${MPS}/s across two workers, skips opted-out numbers, honours a STOP mid-campaign and records delivery`, async () => {
    const t = await h.tenant('Texter');
    const list = await h.contacts.createList(t.tenantId, 'Everyone', 'marketer');
    const contacts = Array.from({ length: CONTACTS }, (_, i) => ({ phone: phoneOf(i), name: `Ann ${i}`, attributes: { store: `Store ${i % 3}` } }));
    await h.contacts.addToList(t.tenantId, list.id, contacts, 'marketer');
    const optedOut = [3, 50, 120].map(phoneOf);
    for (const phone of optedOut) await h.contacts.optOut(t.tenantId, phone, 'admin', 'marketer');
    const undelivered = [7, 8].map(phoneOf);
    for (const phone of undelivered) await h.simClient.control('PUT', `/sim/phones/${encodeURIComponent(phone)}`, { sms: 'undelivered' });
    const stopper = phoneOf(CONTACTS - 1);

    const campaign = await h.smsCampaigns.create(
      t.tenantId,
      { name: 'Weekend', listId: list.id, senderNumber: t.sender, template: 'Hi {{ name }}, 2-for-1 at {{ attributes.store }} this weekend.', messagesPerSecond: MPS },
      'marketer',
    );
    expect(campaign).toMatchObject({ status: 'running', messagesPerSecond: MPS, progress: { contacts: CONTACTS, pending: CONTACTS } });

    // The last contact texts STOP once the campaign is under way, long before its turn.
    await waitFor('20 messages out', () => h.sent.length >= 20, 20_000);
    const stop = await h.simClient.control('POST', '/sim/sms', { from: stopper, to: t.sender, body: 'STOP' });
    expect(stop.status).toBeLessThan(300);

    const expectedSends = CONTACTS - optedOut.length - 1;
    await waitFor('the campaign to complete', async () => (await h.smsCampaigns.get(t.tenantId, campaign.id)).status === 'completed', 75_000);
    await waitFor('delivery reports', async () => {
      const p = (await h.smsCampaigns.get(t.tenantId, campaign.id)).progress;
      return p.delivered + p.failed === expectedSends;
    });

    // The pace, as the simulator saw it: never more than MPS in any one second, and nothing refused for it.
    const fromSender = h.sent.filter((m) => m.from === t.sender);
    expect(fromSender).toHaveLength(expectedSends);
    expect(busiestSecond(fromSender.map((m) => m.dateCreated.getTime()))).toBeLessThanOrEqual(MPS);

    // Opted-out numbers, and the one that said STOP, got nothing from the campaign.
    const recipients = new Set(fromSender.map((m) => m.to));
    for (const phone of [...optedOut, stopper]) expect([phone, recipients.has(phone)]).toEqual([phone, false]);
    const { rows: stopRow } = await h.owner.query(`SELECT source FROM opt_outs WHERE tenant_id = $1 AND phone = $2`, [t.tenantId, stopper]);
    expect(stopRow).toEqual([{ source: 'sms-stop' }]);

    // What a contact reads: their name and attribute, then the opt-out wording.
    const first = fromSender.find((m) => m.to === phoneOf(0));
    expect(first?.body).toBe('Hi Ann 0, 2-for-1 at Store 0 this weekend.\nReply STOP to opt out');
    expect(fromSender.every((m) => m.body.endsWith('\nReply STOP to opt out'))).toBe(true);

    // Progress and per-message statuses, as recorded from the status callbacks.
    const done = await h.smsCampaigns.get(t.tenantId, campaign.id);
    expect(done.progress).toEqual({ contacts: CONTACTS, pending: 0, sent: 0, delivered: expectedSends - 2, failed: 2, optedOut: 4, cancelled: 0 });
    const { rows } = await h.owner.query(
      `SELECT k.phone, m.status, m.error_code, m.message_sid FROM sms_campaign_messages m JOIN contacts k ON k.tenant_id = m.tenant_id AND k.id = m.contact_id
        WHERE m.campaign_id = $1`,
      [campaign.id],
    );
    const byPhone = new Map(rows.map((r: { phone: string }) => [r.phone, r]));
    for (const phone of undelivered) expect(byPhone.get(phone)).toMatchObject({ status: 'failed', error_code: '30003' });
    // Closed by Ringflow's own list at send time (not by Twilio's 21610 refusal).
    for (const phone of [...optedOut, stopper]) expect(byPhone.get(phone)).toMatchObject({ status: 'opted-out', error_code: null, message_sid: null });
    const sids = new Set(fromSender.map((m) => m.sid));
    expect(rows.filter((r: { status: string }) => r.status === 'delivered').every((r: { message_sid: string }) => sids.has(r.message_sid))).toBe(true);

    // No contact's number in any Redis key of the run; job payloads hold ids only.
    const redis = h.apps[0].get<Redis>(REDIS);
    expect((await redis.keys(`*${t.tenantId}*`)).join(' ')).not.toMatch(/202555/);
  }, 88_000);
});
