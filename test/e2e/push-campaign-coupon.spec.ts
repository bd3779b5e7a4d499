import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPlatform, type Platform } from './support/platform-harness';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../libs/flow/src/fixtures/push-campaign.flow.json'), 'utf8'));
/** Noon in New York: the callees' calling window is open whatever the real hour. */
const noonInNewYork = new Date('2026-06-01T16:00:00Z');
const wanter = '+12025550101';
const refuser = '+12025550109';

describe('a push campaign, end to end: call, key 1, coupon SMS, redemption, conversion', () => {
  let p: Platform;
  beforeAll(async () => {
    const offset = noonInNewYork.getTime() - Date.now();
    p = await startPlatform({ clock: () => new Date(Date.now() + offset) });
  });
  afterAll(() => p.close(), 60_000);

  it('texts a serial to the callee who pressed 1, redeems it once, counts 1/1, and never calls the one who pressed 9 again', async () => {
    const promotionDraft = { name: 'Spring', offer: 'Spring coupon', discount: '20% off', validFrom: new Date(Date.now() - 60_000), validUntil: new Date(Date.now() + 30 * 86_400_000) };
    const t = await p.tenant('Acme Stores');
    const promotion = await p.promotions.create(t.tenantId, promotionDraft, 'marketer');
    // The seed flow names its promotion by a placeholder; the tenant publishes it with its own promotion's id.
    const flow = { ...fixture, nodes: { ...fixture.nodes, coupon: { ...fixture.nodes.coupon, promotionId: promotion.id } } };
    const { flowId, flowVersion } = await p.publish(t.tenantId, flow);
    // The caller id answers inbound calls with another flow: campaign calls must still run the campaign's.
    await p.publish(t.tenantId, { schemaVersion: 1, name: 'Inbound', start: 'a', nodes: { a: { type: 'say', text: 'Welcome to Acme.', next: 'z' }, z: { type: 'hangup' } } }, t.callerId);

    const merchant = await p.merchants.create(t.tenantId, { name: 'Acme Main Street' }, 'admin');
    const till = await p.apiKeys.create(t.tenantId, { name: 'till 1', role: 'merchant' }, 'admin');
    await p.merchantKeys.bind(t.tenantId, { apiKeyId: till.apiKey.id, merchantId: merchant.id }, 'admin');

    await p.phone(wanter, { answer: 'human', presses: ['1'] });
    await p.phone(refuser, { answer: 'human', presses: ['9'] });
    const list = await p.contacts.createList(t.tenantId, 'Spring audience', 'marketer');
    await p.contacts.addToList(t.tenantId, list.id, [{ phone: wanter, timeZone: 'America/New_York' }, { phone: refuser, timeZone: 'America/New_York' }], 'marketer');
    const campaign = await p.campaigns.create(
      t.tenantId,
      { name: 'Spring push', listId: list.id, callerId: t.callerId, answer: { kind: 'flow', flowId, flowVersion }, callsPerSecond: 5, maxConcurrentCalls: 5 },
      'marketer',
    );
    await p.launcher.launch(t.tenantId, campaign.id, 'marketer');

    const [sms] = await p.waitFor('the coupon SMS on the callee’s phone', async () => {
      const inbox = await p.inbox(wanter);
      return inbox.length > 0 && inbox;
    });
    expect(sms.from).toBe(t.callerId);
    const serial = /Your code: ([0-9A-Z-]{15,17})\./.exec(sms.body)?.[1];
    expect(serial).toBeDefined();
    expect(sms.body).toContain('Spring coupon (20% off)');

    const redeemed = await p.post('/api/v1/redemptions', till.secret, { serial });
    expect(redeemed).toMatchObject({ status: 200, body: { outcome: 'redeemed' } });
    const again = await p.post('/api/v1/redemptions', till.secret, { serial });
    expect(again).toMatchObject({ status: 409, body: { outcome: 'already-redeemed', merchant: { id: merchant.id, name: 'Acme Main Street' } } });

    await p.waitFor('the campaign to complete', async () => (await p.campaigns.get(t.tenantId, campaign.id)).status === 'completed');
    const funnel = await p.waitFor('the redemption in the funnel', async () => {
      const totals = await p.funnel.totals(t.tenantId, { campaignId: campaign.id });
      return totals.redeemed === 1 && totals.delivered === 1 && totals;
    });
    const progress = await p.campaigns.progress(t.tenantId, campaign.id);
    const dialed = p.calls.filter((c) => c.to === wanter || c.to === refuser).length;
    expect({ dialed, answered: progress.dispositions.human, keyPressed1: funnel.issued, smsSent: funnel.sent, delivered: funnel.delivered, redeemed: funnel.redeemed }).toEqual({
      dialed: 2, answered: 2, keyPressed1: 1, smsSent: 1, delivered: 1, redeemed: 1,
    });
    expect(`${funnel.redeemed}/${funnel.sent}`).toBe('1/1');
    expect(await p.inbox(refuser)).toEqual([]);
    const heard = async (to: string) => (await p.simClient.callEnded(p.calls.find((c) => c.to === to)!.sid)).heard.join(' ');
    expect(await heard(wanter)).toContain('Your coupon is on its way by SMS. Goodbye.');
    expect(await heard(refuser)).toContain('You will not receive these calls again. Goodbye.');

    // Key 9: the refuser is on the do-not-call list, and a later campaign over the same audience never rings them.
    expect(await p.contacts.isOptedOut(t.tenantId, refuser)).toBe(true);
    const { rows: audit } = await p.owner.query(`SELECT actor, action FROM audit_log WHERE tenant_id = $1 AND action = 'opt-out.add'`, [t.tenantId]);
    expect(audit).toEqual([{ actor: expect.stringMatching(/^call:CA[0-9a-f]{32}$/), action: 'opt-out.add' }]);
    const followUp = await p.campaigns.create(
      t.tenantId,
      { name: 'Spring reminder', listId: list.id, callerId: t.callerId, answer: { kind: 'flow', flowId, flowVersion }, callsPerSecond: 5, maxConcurrentCalls: 5 },
      'marketer',
    );
    await p.launcher.launch(t.tenantId, followUp.id, 'marketer');
    await p.waitFor('the follow-up campaign to complete', async () => (await p.campaigns.get(t.tenantId, followUp.id)).status === 'completed');
    expect((await p.campaigns.progress(t.tenantId, followUp.id)).dispositions).toEqual({ human: 1, 'opted-out': 1 });
    expect(p.calls.filter((c) => c.to === refuser)).toHaveLength(1);

    // Nothing the callees typed or received reached a log line: no phone number, no serial.
    const logged = p.logs.join('\n');
    for (const secret of [wanter, refuser, serial!]) expect(logged).not.toContain(secret);
  }, 60_000);
});
