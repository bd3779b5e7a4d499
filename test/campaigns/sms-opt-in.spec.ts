import { randomBytes } from 'node:crypto';
import { ContactsService } from '@ringflow/campaign';
import { startGateways, type GatewayHarness, type TestTenant } from '../gateway/support/gateway-harness';
import { postSigned } from '../gateway/support/signed-call';

const hello = { schemaVersion: 1, name: 'Hello', start: 'a', nodes: { a: { type: 'say', text: 'Hello.', next: 'z' }, z: { type: 'hangup' } } };

describe('STOP and START replies through the gateway', () => {
  let gw: GatewayHarness;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    gw = await startGateways();
    tenant = await gw.tenantWithFlow('Texts', '+14155550141', hello);
    other = await gw.tenantWithFlow('Elsewhere', '+14155550142', hello);
  });
  afterAll(() => gw.close());

  const reply = async (t: TestTenant, from: string, body: string) => {
    const res = await postSigned(gw.url, t.authToken, '/twilio/sms', { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: t.accountSid, From: from, To: t.number, Body: body });
    expect(res.status).toBe(200);
  };
  const optOuts = async (t: TestTenant, phone: string) =>
    gw.db.run(t.tenantId, (em) => em.query(`SELECT source FROM opt_outs WHERE tenant_id = $1 AND phone = $2`, [t.tenantId, phone]));

  it.each(['START', 'unstop', ' Yes '])('"%s" takes a number that replied STOP off the tenant\'s opt-out list', async (word) => {
    const phone = `+1202555${String(1000 + Math.floor(Math.random() * 8999))}`;
    await reply(tenant, phone, 'STOP');
    expect(await optOuts(tenant, phone)).toEqual([{ source: 'sms-stop' }]);
    await reply(tenant, phone, word);
    expect(await optOuts(tenant, phone)).toEqual([]);
    // STOP again puts it back: the last word counts.
    await reply(tenant, phone, 'stop');
    expect(await optOuts(tenant, phone)).toEqual([{ source: 'sms-stop' }]);
  });

  it('lifts only that tenant\'s STOP, and not a number the tenant put on its do-not-call list itself', async () => {
    const stopped = '+13125550177';
    const listed = '+13125550178';
    await reply(tenant, stopped, 'STOP');
    await reply(other, stopped, 'STOP');
    await new ContactsService(gw.db).optOut(tenant.tenantId, listed, 'admin', 'admin');

    await reply(tenant, stopped, 'START');
    await reply(tenant, listed, 'START');
    expect(await optOuts(tenant, stopped)).toEqual([]);
    expect(await optOuts(other, stopped)).toEqual([{ source: 'sms-stop' }]);
    expect(await optOuts(tenant, listed)).toEqual([{ source: 'admin' }]);
  });

  it('leaves the list alone for a message that only mentions the words', async () => {
    const phone = '+13125550179';
    await reply(tenant, phone, 'STOP');
    await reply(tenant, phone, 'please start again tomorrow');
    expect(await optOuts(tenant, phone)).toEqual([{ source: 'sms-stop' }]);
  });
});
