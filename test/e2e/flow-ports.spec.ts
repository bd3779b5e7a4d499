import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CampaignAttemptsService, CampaignsService, ContactsService, PromotionsService } from '@ringflow/campaign';
import { queuePrefix } from '@ringflow/queue';
import { startSimulator, type Simulator } from '../../apps/telephony-sim/src/simulator';
import { SimTestClient } from '../../apps/telephony-sim/src/testing/sim-test-client';
import { startGateways, type GatewayHarness } from '../gateway/support/gateway-harness';
import { postSigned, SignedCall } from '../gateway/support/signed-call';
import { spoken } from '../gateway/support/twiml-reader';

const pushFlow = JSON.parse(readFileSync(join(__dirname, '../../libs/flow/src/fixtures/push-campaign.flow.json'), 'utf8'));
const withPromotion = (promotionId: string) => ({ ...pushFlow, nodes: { ...pushFlow.nodes, coupon: { ...pushFlow.nodes.coupon, promotionId } } });
const textOnKey = {
  schemaVersion: 1, name: 'Text me', start: 'offer',
  nodes: {
    offer: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 1 for a text.' }], options: [{ key: '1', next: 'send' }], next: { 'no-input': 'bye', invalid: 'bye' } },
    send: { type: 'sms', body: 'Here is your text.', next: { sent: 'sent', failed: 'unsent' } },
    sent: { type: 'say', text: 'Sent.', next: 'bye' },
    unsent: { type: 'say', text: 'We could not text you.', next: 'bye' },
    bye: { type: 'hangup' },
  },
};

describe('the flow ports of an inbound call: coupon, opt-out and SMS as the caller hears them', () => {
  let gw: GatewayHarness;
  let sim: Simulator;
  const namespace = `test-ports-${randomBytes(4).toString('hex')}`;
  const previousApiBase = process.env.TWILIO_API_BASE_URL;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    process.env.TWILIO_API_BASE_URL = sim.url;
    gw = await startGateways(1, { QUEUE_NAMESPACE: namespace });
  });
  afterAll(async () => {
    const keys = await gw.redis.keys(`${queuePrefix(namespace)}*`);
    if (keys.length) await gw.redis.del(...keys);
    await gw.close();
    await sim.close();
    if (previousApiBase === undefined) delete process.env.TWILIO_API_BASE_URL;
    else process.env.TWILIO_API_BASE_URL = previousApiBase;
  });

  const couponsOf = (tenantId: string) =>
    gw.db.run(tenantId as never, (em) => em.query(`SELECT id, phone, call_sid, campaign_id, issue_key FROM coupons WHERE tenant_id = $1`, [tenantId]));

  it('issues one coupon to the caller for key 1, however often Twilio repeats the webhook, and queues its SMS once', async () => {
    const promotions = gw.apps[0].get(PromotionsService);
    const draft = { name: 'P', offer: 'Coffee', discount: '1 free', validFrom: new Date(Date.now() - 60_000), validUntil: new Date(Date.now() + 86_400_000) };
    const probe = await gw.tenantWithFlow('Cafe', '+14155550161', withPromotion(randomUUID()));
    const promotion = await promotions.create(probe.tenantId, draft, 'marketer');
    const flowId = (await gw.flows.create(probe.tenantId, withPromotion(promotion.id), 'admin')) as { ok: true; value: { id: string } };
    await gw.flows.publish(probe.tenantId, flowId.value.id, 'admin');
    await gw.flows.bindNumber(probe.tenantId, probe.number, flowId.value.id, 'admin');

    const call = new SignedCall([gw.url], probe, '+12025550142');
    await call.start();
    const path = call.nextPath();
    const params = { CallSid: call.callSid, AccountSid: probe.accountSid, From: call.from, To: probe.number, Direction: 'inbound', Digits: '1' };
    const answers = await Promise.all([1, 2, 3].map(() => postSigned(gw.url, probe.authToken, path, params)));
    for (const answer of answers) expect(spoken(answer.body)).toEqual(['Your coupon is on its way by SMS. Goodbye.']);
    const coupons = await couponsOf(probe.tenantId);
    expect(coupons).toEqual([{ id: expect.any(String), phone: call.from, call_sid: call.callSid, campaign_id: null, issue_key: expect.stringMatching(new RegExp(`^${call.callSid}-coupon-`)) }]);
    const jobs = await gw.redis.keys(`${queuePrefix(namespace)}:sms:coupon-sms_*`);
    expect(jobs).toEqual([`${queuePrefix(namespace)}:sms:coupon-sms_${probe.tenantId}_${coupons[0].id}`]);
    // nodes.coupon.* holds the coupon's id as its reference: not the phone, not the serial.
    const stored = (await gw.redis.hget(`rf:{${probe.tenantId}}:call:${call.callSid}`, 'doc')) ?? '';
    const coupon = /"coupon":(\{[^}]*\})/.exec(stored)?.[1];
    expect(JSON.parse(coupon ?? 'null')).toEqual({ ok: true, reference: coupons[0].id });
  });

  it("attributes a campaign callee's coupon to the campaign and contact, even before the worker has recorded the call's SID", async () => {
    const app = gw.apps[0];
    const draft = { name: 'P', offer: 'Tea', discount: '2 for 1', validFrom: new Date(Date.now() - 60_000), validUntil: new Date(Date.now() + 86_400_000) };
    const shell = await gw.tenantWithFlow('Tea room', '+14155550166', withPromotion(randomUUID()));
    const promotion = await app.get(PromotionsService).create(shell.tenantId, draft, 'marketer');
    const created = (await gw.flows.create(shell.tenantId, withPromotion(promotion.id), 'admin')) as { ok: true; value: { id: string } };
    await gw.flows.publish(shell.tenantId, created.value.id, 'admin');
    await gw.flows.bindNumber(shell.tenantId, shell.number, created.value.id, 'admin');
    const contacts = app.get(ContactsService);
    const list = await contacts.createList(shell.tenantId, 'One', 'marketer');
    const callee = '+12025550147';
    const [contactId] = (await contacts.addToList(shell.tenantId, list.id, [{ phone: callee }], 'marketer')).contactIds;
    const campaigns = app.get(CampaignsService);
    const campaign = await campaigns.create(
      shell.tenantId, { name: 'Push', listId: list.id, callerId: shell.number, answer: { kind: 'flow', flowId: created.value.id, flowVersion: 1 }, callsPerSecond: 1, maxConcurrentCalls: 1 }, 'marketer',
    );
    await campaigns.transition(shell.tenantId, campaign.id, 'launch', 'marketer');
    expect((await app.get(CampaignAttemptsService).begin(shell.tenantId, campaign.id, contactId, 1)).kind).toBe('dial');

    const call = new SignedCall([gw.url], shell, callee, true);
    await call.start();
    expect(spoken(await call.press('1'))).toEqual(['Your coupon is on its way by SMS. Goodbye.']);
    const coupons = await gw.db.run(shell.tenantId, (em) => em.query(`SELECT phone, campaign_id, contact_id FROM coupons WHERE tenant_id = $1`, [shell.tenantId]));
    expect(coupons).toEqual([{ phone: callee, campaign_id: campaign.id, contact_id: contactId }]);
  });

  it('tells the caller something went wrong when the promotion does not exist, and issues nothing', async () => {
    const t = await gw.tenantWithFlow('Bakery', '+14155550162', withPromotion(randomUUID()));
    const call = new SignedCall([gw.url], t, '+12025550143');
    await call.start();
    expect(spoken(await call.press('1'))).toEqual(['Sorry, something went wrong. Please try again later.']);
    expect(await couponsOf(t.tenantId)).toEqual([]);
  });

  it('puts the caller who presses 9 on the do-not-call list, once', async () => {
    const t = await gw.tenantWithFlow('Florist', '+14155550163', withPromotion(randomUUID()));
    const call = new SignedCall([gw.url], t, '+12025550144');
    await call.start();
    expect(spoken(await call.press('9'))).toEqual(['You will not receive these calls again. Goodbye.']);
    const rows = await gw.db.run(t.tenantId, (em) => em.query(`SELECT phone, source FROM opt_outs WHERE tenant_id = $1`, [t.tenantId]));
    expect(rows).toEqual([{ phone: call.from, source: 'ivr-opt-out' }]);
  });

  it('fails the opt-out (and says so) for a number that is not a phone number, writing nothing', async () => {
    const t = await gw.tenantWithFlow('Tailor', '+14155550165', withPromotion(randomUUID()));
    const call = new SignedCall([gw.url], t, '+15551230046');
    await call.start();
    expect(spoken(await call.press('9'))).toEqual(['Sorry, something went wrong. Please try again later.']);
    expect(await gw.db.run(t.tenantId, (em) => em.query(`SELECT 1 FROM opt_outs WHERE tenant_id = $1`, [t.tenantId]))).toEqual([]);
  });

  it('takes the sms node’s failed branch when Twilio refuses the message (a sender the account does not own)', async () => {
    const t = await gw.tenantWithFlow('Garage', '+14155550164', textOnKey);
    await new SimTestClient(sim).account({ sid: t.accountSid, token: t.authToken, mps: 50 });
    const call = new SignedCall([gw.url], t, '+12025550145');
    await call.start();
    expect(spoken(await call.press('1'))).toEqual(['We could not text you.']);
  });
});
