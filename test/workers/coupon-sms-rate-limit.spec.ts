import { SenderPace } from '../../apps/worker-sms/src/sender-pace';
import { jobIdOf, randomPhone } from './support/coupon-sms-job';
import { smsHarness, type SmsHarness } from './support/sms-harness';

let h: SmsHarness;

// Two tries only: before issue #10 a 429 spell longer than two tries left coupons `failed (20429)`, never texted.
beforeAll(async () => {
  h = await smsHarness({ attempts: 2, env: { SMS_SENDER_MPS: '40', SMS_RATE_LIMIT_MAX_BACKOFF_MS: '1500' } });
});

afterAll(async () => {
  await h?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('coupon SMS in a 429 storm', () => {
  it('waits out the refusals without using tries, slows its pace, sends every coupon once, and still fails a real refusal at once', async () => {
    const t = await h.tenant('Storm', 40);
    const optedOut = randomPhone();
    await h.simClient.control('POST', '/sim/sms', { from: optedOut, to: t.number, body: 'STOP' });
    const recipients = Array.from({ length: 30 }, () => randomPhone());
    const coupons = await Promise.all(recipients.map((to) => h.issue(t, to)));
    const refused = await h.issue(t, optedOut);

    // The storm: for 3 s the account takes 2 messages a second (Twilio answers the rest 429 / 20429), then 40 again.
    await h.simClient.account({ sid: t.account.sid, token: t.account.token, mps: 2 });
    await Promise.all([...coupons, refused].map((c) => h.jobs.enqueueSend(t.tenantId, c.id)));
    // The sender's pace, as every worker process sees it, while the storm lasts.
    let slowest = Infinity;
    for (const until = Date.now() + 3000; Date.now() < until; await sleep(100)) slowest = Math.min(slowest, await h.app.get(SenderPace).current(t.tenantId, t.number));
    await h.simClient.account({ sid: t.account.sid, token: t.account.token, mps: 40 });

    await h.waitFor(
      'every coupon SMS to be sent',
      async () => (await Promise.all(coupons.map((c) => h.smsOf(c.id)))).every((s) => s.status === 'sent' || s.status === 'delivered'),
      20_000,
    );
    for (const to of recipients) expect(await h.inbox(to)).toHaveLength(1);
    expect(slowest).toBeLessThan(40);

    const jobs = await Promise.all(coupons.map((c) => h.jobs.sms.getJob(jobIdOf(t.tenantId, c.id))));
    expect(new Set(jobs.map((j) => `${j?.attemptsMade} ${j?.returnvalue}`))).toEqual(new Set(['1 sent']));
    // Refusals were met and waited out (runs that ended in a wait, not a try).
    expect(jobs.reduce((n, j) => n + (j?.attemptsStarted ?? 0), 0)).toBeGreaterThan(coupons.length);

    expect(await h.smsOf(refused.id)).toEqual({ status: 'failed', messageSid: null, error: '21610' });
    expect((await h.jobs.sms.getJob(jobIdOf(t.tenantId, refused.id)))?.attemptsMade).toBe(1);
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 31, sent: 30, failed: 1 });
  });
});
