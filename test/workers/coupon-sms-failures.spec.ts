import { randomBytes } from 'node:crypto';
import { CouponSmsSendingService } from '@ringflow/campaign';
import { TwilioTelephonyAdapter } from '@ringflow/telephony';
import { WebhookRecorder } from '../../apps/telephony-sim/src/testing/webhook-recorder';
import { jobIdOf, randomPhone } from './support/coupon-sms-job';
import { smsHarness, type SmsHarness } from './support/sms-harness';

// A Twilio API that is down: every request gets Twilio's 500 body (error 20500).
const twilioDown = new WebhookRecorder(() => ({
  status: 500,
  contentType: 'application/json',
  body: JSON.stringify({ code: 20500, message: 'An internal server error has occurred', more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 }),
}));
let h: SmsHarness;

beforeAll(async () => {
  await twilioDown.start();
  h = await smsHarness({ attempts: 3, telephony: () => new TwilioTelephonyAdapter({ apiBaseUrl: twilioDown.url }) });
});

afterAll(async () => {
  await h?.close();
  await twilioDown.stop();
});

const phone = randomPhone;
const messageSid = () => `SM${randomBytes(16).toString('hex')}`;

describe('coupon SMS failures and statuses', () => {
  it('retries a send Twilio cannot take, never sending blind after a 5xx, then reports it failed with the Twilio error code', async () => {
    const t = await h.tenant('Twilio down');
    const coupon = await h.issue(t, phone());

    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.waitFor('the coupon SMS to be reported failed', async () => (await h.smsOf(coupon.id)).status === 'failed');

    // A 500 does not say whether the message was created: each later try looks for it (the list fails too) before any new send.
    const messages = twilioDown.requests.filter((r) => r.path.endsWith('/Messages.json'));
    expect(messages.map((r) => r.method)).toEqual(['POST', 'GET', 'GET', 'GET', 'GET']);
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'failed', messageSid: null, error: '20500' });
    const job = await h.jobs.sms.getJob(jobIdOf(t.tenantId, coupon.id));
    expect({ attempts: job?.attemptsMade, result: job?.returnvalue }).toEqual({ attempts: 3, result: 'failed' });
    expect(job?.data).toEqual({ tenantId: t.tenantId, couponId: coupon.id });
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 1, sent: 0, failed: 1 });
  });

  it('applies a status that arrived before the message SID was recorded, and never moves a coupon back', async () => {
    const t = await h.tenant('Early callback');
    const coupon = await h.issue(t, phone());
    const sending = h.app.get(CouponSmsSendingService);
    const sid = messageSid();

    expect(await h.statuses.record(t.tenantId, sid, 'delivered')).toBe('remembered');
    expect((await sending.claim(t.tenantId, coupon.id)).kind).toBe('send');
    expect(await sending.recordSent(t.tenantId, coupon.id, sid)).toBe(true);
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'delivered', messageSid: sid, error: null });

    expect(await h.statuses.record(t.tenantId, sid, 'sent')).toBe('stale');
    expect(await h.statuses.record(t.tenantId, sid, 'delivered')).toBe('stale');
    expect(await h.statuses.record(t.tenantId, sid, 'undelivered', '30003')).toBe('stale');
    expect(await h.statuses.record(t.tenantId, sid, 'queued')).toBe('ignored');
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'delivered', messageSid: sid, error: null });
    expect(await sending.claim(t.tenantId, coupon.id)).toEqual({ kind: 'done', status: 'delivered' });
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 1, sent: 1, delivered: 1, failed: 0 });
  });

  it('moves a sent coupon to delivered on the callback, once', async () => {
    const t = await h.tenant('Late callback');
    const coupon = await h.issue(t, phone());
    const sending = h.app.get(CouponSmsSendingService);
    const sid = messageSid();
    await sending.claim(t.tenantId, coupon.id);
    await sending.recordSent(t.tenantId, coupon.id, sid);
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'sent', messageSid: sid, error: null });

    expect(await h.statuses.record(t.tenantId, sid, 'delivered')).toBe('applied');
    expect(await h.statuses.record(t.tenantId, sid, 'delivered')).toBe('stale');
    expect(await h.smsOf(coupon.id)).toMatchObject({ status: 'delivered' });
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ sent: 1, delivered: 1 });
  });

  it('refuses a malformed message SID with a coded error', async () => {
    const t = await h.tenant('Bad sid');
    await expect(h.statuses.record(t.tenantId, 'not-a-sid', 'delivered')).rejects.toMatchObject({ code: 'invalid-input', field: 'messageSid' });
  });
});
