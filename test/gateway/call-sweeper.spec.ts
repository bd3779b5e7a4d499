import twilio from 'twilio';
import { CampaignAttemptsService, CampaignsService, ContactsService } from '@ringflow/campaign';
import { queuePrefix } from '@ringflow/queue';
import type { TenantId } from '@ringflow/tenancy';
import type { TestTenant } from './support/gateway-harness';
import { minutesFromNow, startSweeperHarness, type SweeperHarness } from './support/sweeper-harness';

const menu = {
  schemaVersion: 1, name: 'Menu', start: 'menu',
  nodes: {
    menu: { type: 'menu', prompts: [{ kind: 'say', text: 'Press 1.' }], options: [{ key: '1', next: 'thanks' }], next: { 'no-input': 'menu', invalid: 'menu' } },
    thanks: { type: 'say', text: 'Thank you.', next: 'menu' },
  },
};

describe('the call sweeper closes calls whose final status callback never came', () => {
  let h: SweeperHarness;
  let quiet: TestTenant;
  let chatty: TestTenant;

  beforeAll(async () => {
    h = await startSweeperHarness();
    // Twilio posts no status callback for this tenant's number: only the sweeper can close its calls.
    quiet = await h.tenant('Quiet Clinic', '+14155550301', menu, false);
    chatty = await h.tenant('Chatty Bank', '+14155550302', menu, true);
  });
  afterAll(async () => {
    if (h) {
      const keys = [...(await h.gw.redis.keys(`${queuePrefix(h.namespace)}*`)), ...(await h.gw.redis.keys(`${h.namespace}:*`))];
      if (keys.length) await h.gw.redis.del(...keys);
    }
    await h?.close();
  });

  /** A status callback as Twilio signs it, to this gateway's public URL. */
  async function statusCallback(t: TestTenant, callSid: string, status: string, duration: string): Promise<number> {
    const params = { CallSid: callSid, AccountSid: t.accountSid, From: '+15557770009', To: t.number, Direction: 'inbound', CallStatus: status, CallDuration: duration };
    const url = `${h.publicUrl}/twilio/voice/status`;
    const response = await fetch(url, {
      method: 'POST', body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(t.authToken, url, params) },
    });
    return response.status;
  }

  it('leaves a call Twilio has in progress alone, and closes it with Twilio’s status once it is over', async () => {
    const callSid = await h.dial('+15557770001', quiet.number);
    await h.waitFor('the call in the active list', async () => (await h.activeCalls(quiet)).includes(callSid));
    await h.press(callSid, '1');
    expect((await h.twilioCall(quiet, callSid)).status).toBe('in-progress');

    const early = await h.sweeper.sweepOnce(minutesFromNow(15));
    expect(early).toMatchObject({ ran: true, closed: 0, leftLive: 1 });
    expect(await h.activeCalls(quiet)).toContain(callSid);
    expect(await h.records(quiet, callSid)).toEqual([]);

    const ended = await h.hangUp(callSid);
    expect(ended.status).toBe('completed');
    const atTwilio = await h.twilioCall(quiet, callSid);
    // No status callback came: the call still looks active until the sweeper asks Twilio.
    expect(await h.activeCalls(quiet)).toContain(callSid);

    expect(await h.sweeper.sweepOnce(minutesFromNow(16))).toMatchObject({ ran: true, closed: 0 });
    expect(await h.sweeper.sweepOnce(minutesFromNow(30))).toMatchObject({ ran: true, closed: 1 });
    expect(await h.activeCalls(quiet)).not.toContain(callSid);
    const [record, ...more] = await h.records(quiet, callSid);
    expect(more).toEqual([]);
    expect(record).toMatchObject({ outcome: 'completed', durationSeconds: Number(atTwilio.duration) });
    expect(record.nodePath).toEqual(expect.arrayContaining(['menu', 'thanks']));

    expect(await h.sweeper.sweepOnce(minutesFromNow(60))).toMatchObject({ closed: 0 });
    expect(await h.records(quiet, callSid)).toHaveLength(1);
    const late = await statusCallback(quiet, callSid, 'busy', '1');
    expect(late).toBe(204);
    expect(await h.records(quiet, callSid)).toEqual([record]);
  });

  it('writes one record with the right outcome from duplicated and reordered final callbacks, and the sweeper adds nothing', async () => {
    const callSid = await h.dial('+15557770002', chatty.number);
    await h.waitFor('the call in the active list', async () => (await h.activeCalls(chatty)).includes(callSid));
    await h.press(callSid, '1');
    await h.hangUp(callSid);
    const atTwilio = await h.twilioCall(chatty, callSid);
    const [record] = await h.waitFor('the record from Twilio’s callback', async () => {
      const rows = await h.records(chatty, callSid);
      return rows.length > 0 && rows;
    });
    expect(record).toMatchObject({ outcome: 'completed', durationSeconds: Number(atTwilio.duration) });

    expect(await statusCallback(chatty, callSid, 'completed', '99')).toBe(204);
    expect(await statusCallback(chatty, callSid, 'in-progress', '0')).toBe(204);
    expect(await statusCallback(chatty, callSid, 'ringing', '0')).toBe(204);
    expect(await statusCallback(chatty, callSid, 'completed', '99')).toBe(204);
    expect(await h.activeCalls(chatty)).not.toContain(callSid);
    expect(await h.sweeper.sweepOnce(minutesFromNow(30))).toMatchObject({ ran: true, closed: 0 });
    expect(await h.records(chatty, callSid)).toEqual([record]);
  });

  it('closes a call Twilio has never heard of as unknown, only after the longer bound', async () => {
    const callSid = await h.dial('+15557770003', quiet.number);
    await h.waitFor('the call in the active list', async () => (await h.activeCalls(quiet)).includes(callSid));
    await h.hangUp(callSid);
    // Twilio forgets the call (the account stays): it answers 404, so it cannot tell how the call ended.
    await h.simClient.control('POST', '/sim/reset');
    await h.simClient.account({ sid: quiet.accountSid, token: quiet.authToken });
    await h.simClient.number(quiet.accountSid, quiet.number, { voiceUrl: `${h.publicUrl}/twilio/voice` });
    expect(await h.sweeper.sweepOnce(minutesFromNow(30))).toMatchObject({ closed: 0 });
    expect(await h.activeCalls(quiet)).toContain(callSid);
    expect(await h.sweeper.sweepOnce(minutesFromNow(61))).toMatchObject({ closed: 1 });
    expect(await h.activeCalls(quiet)).not.toContain(callSid);
    expect(await h.records(quiet, callSid)).toEqual([expect.objectContaining({ outcome: 'unknown-not-at-twilio' })]);
  });

  it('records the campaign attempt of an outbound call it closes, as the lost callback would have', async () => {
    const callee = '+12025550188';
    await h.simClient.control('PUT', `/sim/phones/${encodeURIComponent(callee)}`, { interactive: true });
    const contacts = h.app.get(ContactsService);
    const campaigns = h.app.get(CampaignsService);
    const attempts = h.app.get(CampaignAttemptsService);
    const tenantId = quiet.tenantId as TenantId;
    const list = await contacts.createList(tenantId, 'One', 'marketer');
    const [contactId] = (await contacts.addToList(tenantId, list.id, [{ phone: callee }], 'marketer')).contactIds;
    const campaign = await campaigns.create(
      tenantId, { name: 'Push', listId: list.id, callerId: quiet.number, answer: { kind: 'url', url: 'https://example.com/answer' }, callsPerSecond: 1, maxConcurrentCalls: 1 }, 'marketer',
    );
    await campaigns.transition(tenantId, campaign.id, 'launch', 'marketer');
    const begun = await attempts.begin(tenantId, campaign.id, contactId, 1);
    if (begun.kind !== 'dial') throw new Error(`attempt not begun: ${begun.kind}`);
    // Placed as worker-calls places it, but with no status callback: only the sweeper can end the attempt.
    const placed = await h.simClient.api({ sid: quiet.accountSid, token: quiet.authToken }, 'POST', '/Calls.json', { To: callee, From: quiet.number, Url: `${h.publicUrl}/twilio/voice` });
    expect(placed.status).toBe(201);
    const callSid = String(placed.body.sid);
    await attempts.placed(tenantId, begun.attemptId, callSid);
    await h.waitFor('the call in the active list', async () => (await h.activeCalls(quiet)).includes(callSid));
    await h.hangUp(callSid);

    expect(await h.sweeper.sweepOnce(minutesFromNow(30))).toMatchObject({ closed: 1 });
    expect(await h.records(quiet, callSid)).toEqual([expect.objectContaining({ outcome: 'completed' })]);
    const attempt = await h.gw.db.run(tenantId, (em) => em.query(`SELECT status, outcome FROM campaign_attempts WHERE tenant_id = $1 AND id = $2`, [tenantId, begun.attemptId]));
    expect(attempt).toEqual([{ status: 'ended', outcome: 'human' }]);
    expect((await campaigns.progress(tenantId, campaign.id)).dispositions).toEqual({ human: 1 });
  });

  it('runs one sweep at a time across replicas, and no log line names two tenants', async () => {
    const [a, b] = await Promise.all([h.sweeper.sweepOnce(), h.sweeper.sweepOnce()]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    const mixed = h.logs.filter((line) => line.includes(quiet.tenantId) && line.includes(chatty.tenantId));
    expect(mixed).toEqual([]);
    expect(h.logs.some((line) => line.includes(`tenant ${quiet.tenantId}`) && line.includes('closed by the sweeper as completed'))).toBe(true);
  });
});
