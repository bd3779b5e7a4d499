import { randomBytes } from 'node:crypto';
import { startGateways, type GatewayHarness, type TestTenant } from './support/gateway-harness';
import { postSigned } from './support/signed-call';
import { verbs } from './support/twiml-reader';

const hello = { schemaVersion: 1, name: 'Hello', start: 'a', nodes: { a: { type: 'say', text: 'Hello.', next: 'z' }, z: { type: 'hangup' } } };

describe('the SMS webhooks', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    tenant = await gw.tenantWithFlow('Texts', '+14155550131', hello);
  });
  afterAll(() => gw.close());

  const seen = (messageSid: string) => gw.redis.get(`rf:{${tenant.tenantId}}:sms-in:${messageSid}`);
  const statusOf = async (messageSid: string) =>
    gw.db.run(tenant.tenantId, (em) => em.query(`SELECT status, error_code FROM sms_message_statuses WHERE tenant_id = $1 AND message_sid = $2`, [tenant.tenantId, messageSid]));

  it('takes an inbound message once (a retried webhook is remembered by its SID only, not its text), and sends no reply', async () => {
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const params = { MessageSid: messageSid, AccountSid: tenant.accountSid, From: '+15550001111', To: tenant.number, Body: 'YES' };
    const first = await postSigned(gw.url, tenant.authToken, '/twilio/sms', params);
    const again = await postSigned(gw.url, tenant.authToken, '/twilio/sms', params);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect([verbs(first.body), verbs(again.body)]).toEqual([[], []]);
    expect(await seen(messageSid)).toBe('1');
    expect(await gw.redis.keys(`rf:{${tenant.tenantId}}:*${messageSid}*`)).toEqual([`rf:{${tenant.tenantId}}:sms-in:${messageSid}`]);
  });

  it('refuses a forged message with 403 and acts on nothing', async () => {
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const forged = await postSigned(gw.url, 'f'.repeat(32), '/twilio/sms', { MessageSid: messageSid, From: '+15550001111', To: tenant.number, Body: 'YES' });
    expect(forged.status).toBe(403);
    expect(await seen(messageSid)).toBeNull();
  });

  it('keeps the furthest delivery status of a sent message: repeated and late callbacks move nothing back', async () => {
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const status = (s: string, extra: Record<string, string> = {}) =>
      postSigned(gw.url, tenant.authToken, '/twilio/sms/status', { MessageSid: messageSid, AccountSid: tenant.accountSid, From: tenant.number, To: '+15550002222', MessageStatus: s, ...extra });
    for (const s of ['queued', 'sent', 'delivered', 'delivered', 'sent']) expect((await status(s)).status).toBe(204);
    expect(await statusOf(messageSid)).toEqual([{ status: 'delivered', error_code: null }]);
    const forged = await postSigned(gw.url, 'f'.repeat(32), '/twilio/sms/status', { MessageSid: messageSid, From: tenant.number, MessageStatus: 'failed' });
    expect(forged.status).toBe(403);
    expect(await statusOf(messageSid)).toEqual([{ status: 'delivered', error_code: null }]);
  });
});
