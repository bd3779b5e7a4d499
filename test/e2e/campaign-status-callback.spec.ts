import { randomBytes } from 'node:crypto';
import { CampaignAttemptsService, CampaignsService, ContactsService } from '@ringflow/campaign';
import { queuePrefix } from '@ringflow/queue';
import type { TenantId } from '@ringflow/tenancy';
import { startGateways, type GatewayHarness, type TestTenant } from '../gateway/support/gateway-harness';
import { postSigned } from '../gateway/support/signed-call';

const hello = { schemaVersion: 1, name: 'Hello', start: 'a', nodes: { a: { type: 'say', text: 'Hello.', next: 'z' }, z: { type: 'hangup' } } };
const callee = '+12025550177';

describe("a campaign call's status callback at the gateway", () => {
  let gw: GatewayHarness;
  const namespace = `test-status-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    gw = await startGateways(1, { QUEUE_NAMESPACE: namespace });
  });
  afterAll(async () => {
    const keys = [...(await gw.redis.keys(`${queuePrefix(namespace)}*`)), ...(await gw.redis.keys(`${namespace}:*`))];
    if (keys.length) await gw.redis.del(...keys);
    await gw.close();
  });

  /** A placed call of a running one-contact campaign, as worker-calls leaves it. */
  async function placedAttempt(t: TestTenant) {
    const app = gw.apps[0];
    const contacts = app.get(ContactsService);
    const campaigns = app.get(CampaignsService);
    const list = await contacts.createList(t.tenantId, 'One', 'marketer');
    const [contactId] = (await contacts.addToList(t.tenantId, list.id, [{ phone: callee }], 'marketer')).contactIds;
    const campaign = await campaigns.create(
      t.tenantId, { name: 'Push', listId: list.id, callerId: t.number, answer: { kind: 'url', url: 'https://example.com/answer' }, callsPerSecond: 1, maxConcurrentCalls: 1 }, 'marketer',
    );
    await campaigns.transition(t.tenantId, campaign.id, 'launch', 'marketer');
    const attempts = app.get(CampaignAttemptsService);
    const begun = await attempts.begin(t.tenantId, campaign.id, contactId, 1);
    if (begun.kind !== 'dial') throw new Error(`attempt not begun: ${begun.kind}`);
    const callSid = `CA${randomBytes(16).toString('hex')}`;
    await attempts.placed(t.tenantId, begun.attemptId, callSid);
    return { campaignId: campaign.id, attemptId: begun.attemptId, callSid };
  }

  const attemptOf = (tenantId: TenantId, attemptId: string) =>
    gw.db.run(tenantId, (em) => em.query(`SELECT status, outcome FROM campaign_attempts WHERE tenant_id = $1 AND id = $2`, [tenantId, attemptId]));

  it('records the outcome once from a signed final status, and ignores another tenant’s, early, repeated and late callbacks', async () => {
    const a = await gw.tenantWithFlow('Acme', '+14155550181', hello);
    const b = await gw.tenantWithFlow('Other', '+14155550182', hello);
    const { attemptId, callSid, campaignId } = await placedAttempt(a);
    const callback = (t: TestTenant, query: string, status: string, extra: Record<string, string> = {}) =>
      postSigned(gw.url, t.authToken, `/twilio/voice/status?${query}`, {
        CallSid: callSid, AccountSid: t.accountSid, From: t.number, To: callee, Direction: 'outbound-api', CallStatus: status, CallDuration: '9', ...extra,
      });

    expect((await callback(b, `tenantId=${a.tenantId}&attemptId=${attemptId}`, 'completed')).status).toBe(204);
    expect((await callback(b, `tenantId=${b.tenantId}&attemptId=${attemptId}`, 'completed')).status).toBe(204);
    expect((await postSigned(gw.url, 'f'.repeat(32), `/twilio/voice/status?tenantId=${a.tenantId}&attemptId=${attemptId}`, { CallSid: callSid, From: a.number, Direction: 'outbound-api', CallStatus: 'busy' })).status).toBe(403);
    expect((await callback(a, `tenantId=${a.tenantId}&campaignId=${campaignId}&attemptId=${attemptId}`, 'in-progress')).status).toBe(204);
    expect(await attemptOf(a.tenantId, attemptId)).toEqual([{ status: 'placed', outcome: null }]);

    expect((await callback(a, `tenantId=${a.tenantId}&campaignId=${campaignId}&attemptId=${attemptId}`, 'completed', { AnsweredBy: 'human' })).status).toBe(204);
    expect((await callback(a, `tenantId=${a.tenantId}&campaignId=${campaignId}&attemptId=${attemptId}`, 'completed', { AnsweredBy: 'human' })).status).toBe(204);
    expect((await callback(a, `tenantId=${a.tenantId}&campaignId=${campaignId}&attemptId=${attemptId}`, 'busy')).status).toBe(204);
    expect(await attemptOf(a.tenantId, attemptId)).toEqual([{ status: 'ended', outcome: 'human' }]);
    expect((await gw.apps[0].get(CampaignsService).progress(a.tenantId, campaignId)).dispositions).toEqual({ human: 1 });
  });
});
