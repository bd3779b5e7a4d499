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

  const entries = async () => (await gw.redis.lrange(`rf:{${tenant.tenantId}}:intents`, 0, -1)).map((e) => JSON.parse(e));

  it('records an inbound message once (a retried webhook adds nothing) with ids only in the list, and sends no reply', async () => {
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const params = { MessageSid: messageSid, AccountSid: tenant.accountSid, From: '+15550001111', To: tenant.number, Body: 'YES' };
    const first = await postSigned(gw.url, tenant.authToken, '/twilio/sms', params);
    const again = await postSigned(gw.url, tenant.authToken, '/twilio/sms', params);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(verbs(first.body)).toEqual([]);
    expect(await entries()).toEqual([{ kind: 'inbound-sms', tenantId: tenant.tenantId, idempotencyKey: messageSid, messageSid }]);
    const record = JSON.parse((await gw.redis.get(`rf:{${tenant.tenantId}}:intent:${messageSid}`))!);
    expect(record.details).toEqual({ from: '+15550001111', to: tenant.number, body: 'YES' });
  });

  it('refuses a forged message with 403 and records nothing', async () => {
    const before = (await entries()).length;
    const forged = await postSigned(gw.url, 'f'.repeat(32), '/twilio/sms', { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: '+15550001111', To: tenant.number, Body: 'YES' });
    expect(forged.status).toBe(403);
    expect((await entries()).length).toBe(before);
  });

  it('records each delivery status of a sent message once', async () => {
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const status = (s: string) => postSigned(gw.url, tenant.authToken, '/twilio/sms/status', { MessageSid: messageSid, AccountSid: tenant.accountSid, From: tenant.number, To: '+15550002222', MessageStatus: s });
    for (const s of ['sent', 'delivered', 'delivered']) expect((await status(s)).status).toBe(204);
    expect((await entries()).filter((e) => e.messageSid === messageSid).map((e) => e.idempotencyKey)).toEqual([`${messageSid}-sent`, `${messageSid}-delivered`]);
  });
});
