import type { JobName, TypedJob } from '@ringflow/queue';
import { formatSerial, jobIdOf, randomPhone } from './support/coupon-sms-job';
import { smsHarness, type SmsHarness } from './support/sms-harness';

let h: SmsHarness;

beforeAll(async () => {
  h = await smsHarness();
});

afterAll(async () => {
  await h?.close();
});

const phone = randomPhone;

describe('coupon SMS (worker-sms against the telephony simulator)', () => {
  it('sends the coupon once from the tenant number, even when its job runs twice, and records its delivery', async () => {
    const t = await h.tenant('Send once');
    const to = phone();
    const coupon = await h.issue(t, to);

    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.waitFor('the coupon SMS to be delivered', async () => (await h.smsOf(coupon.id)).status === 'delivered');

    // The same job once more, after the first finished (a redelivery): it finds the message SID and stops.
    const first = await h.jobs.sms.getJob(jobIdOf(t.tenantId, coupon.id));
    expect(first?.returnvalue).toBe('sent');
    await first?.remove();
    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.waitFor('the second run', async () => (await h.jobs.sms.getJob(jobIdOf(t.tenantId, coupon.id)))?.returnvalue === 'already-done');

    const inbox = await h.inbox(to);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ from: t.number, status: 'delivered' });
    expect(inbox[0].body).toContain(formatSerial(coupon.serial));
    expect(inbox[0].body).toContain('A free coffee');
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'delivered', messageSid: inbox[0].sid, error: null });
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 1, sent: 1, delivered: 1, failed: 0 });
  });

  it('sends one SMS when two runs of the same job overlap', async () => {
    const t = await h.tenant('Overlap');
    const to = phone();
    const coupon = await h.issue(t, to);
    const delayedTo: number[] = [];
    const job = {
      data: { tenantId: t.tenantId, couponId: coupon.id }, attemptsMade: 0, opts: { attempts: 8 },
      moveToDelayed: async (at: number) => void delayedTo.push(at),
    } as unknown as TypedJob<JobName.SendCouponSms>;

    const started = Date.now();
    const runs = await Promise.allSettled([h.processor.process(job, 'lock-1'), h.processor.process(job, 'lock-2')]);

    const outcomes = runs.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name)).sort();
    expect(outcomes).toEqual([expect.stringMatching(/^(already-done|DelayedError)$/), 'sent']);
    // A run that found the coupon claimed waits for the claim to run out (SMS_CLAIM_MS, 5 s here), not a retry.
    for (const at of delayedTo) expect(at - started).toBeGreaterThan(4000);
    await h.waitFor('the coupon SMS to be delivered', async () => (await h.smsOf(coupon.id)).status === 'delivered');
    expect(await h.inbox(to)).toHaveLength(1);
  });

  it('takes over a coupon whose sender died mid-send once its claim has run out', async () => {
    const t = await h.tenant('Died mid-send');
    const to = phone();
    const coupon = await h.issue(t, to);
    await h.owner.query(`UPDATE coupons SET sms_status = 'sending', sms_status_at = now() - interval '6 seconds' WHERE id = $1`, [coupon.id]);

    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.waitFor('the coupon SMS to be delivered', async () => (await h.smsOf(coupon.id)).status === 'delivered');
    expect(await h.inbox(to)).toHaveLength(1);
  });

  it('backs off on 429s from a busy account without using tries, and sends every coupon exactly once', async () => {
    const t = await h.tenant('Slow account', 1);
    const recipients = [phone(), phone(), phone()];
    const coupons = await Promise.all(recipients.map((to) => h.issue(t, to)));
    await Promise.all(coupons.map((c) => h.jobs.enqueueSend(t.tenantId, c.id)));

    await h.waitFor('every coupon SMS to be delivered', async () => (await Promise.all(coupons.map((c) => h.smsOf(c.id)))).every((s) => s.status === 'delivered'), 20_000);
    for (const to of recipients) expect(await h.inbox(to)).toHaveLength(1);
    // A 429 waits without using a try: every job finished on its first try, some after waiting out refusals.
    const jobs = await Promise.all(coupons.map((c) => h.jobs.sms.getJob(jobIdOf(t.tenantId, c.id))));
    expect(jobs.map((j) => [j?.attemptsMade, j?.returnvalue])).toEqual(coupons.map(() => [1, 'sent']));
    expect(jobs.reduce((n, j) => n + (j?.attemptsStarted ?? 0), 0)).toBeGreaterThan(coupons.length);
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 3, sent: 3, delivered: 3 });
  });

  it('reports a recipient who texted STOP as failed with Twilio code 21610, without retrying', async () => {
    const t = await h.tenant('Opted out');
    const to = phone();
    await h.simClient.control('POST', '/sim/sms', { from: to, to: t.number, body: 'STOP' });
    const coupon = await h.issue(t, to);

    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.waitFor('the coupon SMS to be reported failed', async () => (await h.smsOf(coupon.id)).status === 'failed');

    expect(await h.smsOf(coupon.id)).toEqual({ status: 'failed', messageSid: null, error: '21610' });
    expect((await h.jobs.sms.getJob(jobIdOf(t.tenantId, coupon.id)))?.attemptsMade).toBe(1);
    expect((await h.inbox(to)).filter((m) => m.from === t.number && !m.body.includes('unsubscribed'))).toHaveLength(0);
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 1, sent: 0, failed: 1 });
  });

  it('records an undelivered message as failed with the carrier error code', async () => {
    const t = await h.tenant('Undelivered');
    const to = phone();
    await h.simClient.control('PUT', `/sim/phones/${encodeURIComponent(to)}`, { sms: 'undelivered' });
    const coupon = await h.issue(t, to);

    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.waitFor('the undelivered status', async () => (await h.smsOf(coupon.id)).status === 'failed');

    const [message] = await h.inbox(to);
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'failed', messageSid: message.sid, error: '30003' });
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 1, sent: 1, delivered: 0, failed: 1 });
  });
});
