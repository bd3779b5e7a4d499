import { CouponSmsSendingService, SmsPacer } from '@ringflow/campaign';
import type { JobName, TypedJob } from '@ringflow/queue';
import { type SendSmsRequest, type SentSms, type TelephonyCredentials, TelephonyException, TelephonyExceptionCode, TwilioTelephonyAdapter } from '@ringflow/telephony';
import { CouponSmsProcessor } from '../../apps/worker-sms/src/coupon-sms.processor';
import { SenderPace } from '../../apps/worker-sms/src/sender-pace';
import { formatSerial, jobIdOf, randomPhone } from './support/coupon-sms-job';
import { smsHarness, type SmsHarness } from './support/sms-harness';

/** The SDK against the simulator, except that the answer to a send can be lost after Twilio accepted it (a timeout, a dropped connection). */
class AnswerLosingAdapter extends TwilioTelephonyAdapter {
  loseAnswers = 0;

  override async sendSms(creds: TelephonyCredentials, req: SendSmsRequest): Promise<SentSms> {
    const sent = await super.sendSms(creds, req);
    if (this.loseAnswers > 0) {
      this.loseAnswers -= 1;
      throw new TelephonyException(TelephonyExceptionCode.Unavailable, 'sending an SMS: Twilio unreachable (socket hang up)');
    }
    return sent;
  }
}

let h: SmsHarness;
let adapter: AnswerLosingAdapter;

beforeAll(async () => {
  // The lookup trusts a miss only 2 s after the unanswered attempt: Twilio's list may lag (1.5 s in the first test).
  h = await smsHarness({ telephony: (simUrl) => (adapter = new AnswerLosingAdapter({ apiBaseUrl: simUrl })), env: { SMS_LOOKUP_SETTLE_MS: '2000' } });
});

afterAll(async () => {
  await h?.close();
});

const delivered = (couponId: string) => async () => (await h.smsOf(couponId)).status === 'delivered';

describe('coupon SMS accepted by Twilio but not recorded: adopted, not sent again', () => {
  it("adopts the message when the answer to the send was lost, waiting out the lag of Twilio's list", async () => {
    const t = await h.tenant('Lost answer');
    const to = randomPhone();
    const coupon = await h.issue(t, to);

    adapter.loseAnswers = 1;
    process.env.SIM_MESSAGE_LIST_LAG_MS = '1500';
    try {
      await h.jobs.enqueueSend(t.tenantId, coupon.id);
      await h.waitFor('the coupon SMS to be delivered', delivered(coupon.id));
    } finally {
      delete process.env.SIM_MESSAGE_LIST_LAG_MS;
    }

    const inbox = await h.inbox(to);
    expect(inbox).toHaveLength(1);
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'delivered', messageSid: inbox[0].sid, error: null });
    const job = await h.jobs.sms.getJob(jobIdOf(t.tenantId, coupon.id));
    expect({ tries: job?.attemptsMade, result: job?.returnvalue }).toEqual({ tries: 2, result: 'adopted' });
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 1, sent: 1, delivered: 1 });
  });

  it('looks once more when the last try got no answer, and records the message Twilio took instead of failing the coupon', async () => {
    const t = await h.tenant('Last try lost');
    const to = randomPhone();
    const coupon = await h.issue(t, to);
    const job = { data: { tenantId: t.tenantId, couponId: coupon.id }, attemptsMade: 0, attemptsStarted: 1, timestamp: Date.now(), opts: { attempts: 1 } };

    adapter.loseAnswers = 1;
    expect(await h.processor.process(job as unknown as TypedJob<JobName.SendCouponSms>, 'lock-1')).toBe('adopted');

    const inbox = await h.inbox(to);
    expect(inbox).toHaveLength(1);
    await h.waitFor('the coupon SMS to be delivered', delivered(coupon.id));
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'delivered', messageSid: inbox[0].sid, error: null });
  });

  it('adopts the message when the worker died after Twilio accepted it, before the SID was written', async () => {
    const t = await h.tenant('Died after send');
    const to = randomPhone();
    const coupon = await h.issue(t, to);
    // The first run's SID write never happens (the process is killed right after the SDK call returned).
    const sending = h.app.get(CouponSmsSendingService);
    const dying = Object.assign(Object.create(sending) as CouponSmsSendingService, {
      recordSent: async () => {
        throw new Error('killed before the SID was written');
      },
    });
    const first = new CouponSmsProcessor(dying, adapter, h.twilio, h.app.get(SmsPacer), h.app.get(SenderPace), {
      publicBaseUrl: h.gateway.url, claimMs: 5000, settleMs: 200, rateLimitBaseMs: 100, rateLimitMaxMs: 1000, rateLimitGiveUpMs: 60_000,
    });
    const job = { data: { tenantId: t.tenantId, couponId: coupon.id }, attemptsMade: 0, attemptsStarted: 1, timestamp: Date.now(), opts: { attempts: 8 } };
    await expect(first.process(job as unknown as TypedJob<JobName.SendCouponSms>, 'lock-1')).rejects.toThrow('killed before the SID was written');
    expect(await h.inbox(to)).toHaveLength(1);
    expect(await h.smsOf(coupon.id)).toMatchObject({ status: 'sending', messageSid: null });

    // The job comes round again (BullMQ's stalled-job check) once the dead run's claim (5 s here) has run out.
    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.waitFor('the coupon SMS to be delivered', delivered(coupon.id), 15_000);

    const inbox = await h.inbox(to);
    expect(inbox).toHaveLength(1);
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'delivered', messageSid: inbox[0].sid, error: null });
    expect((await h.jobs.sms.getJob(jobIdOf(t.tenantId, coupon.id)))?.returnvalue).toBe('adopted');
    expect(await h.funnel.totals(t.tenantId)).toMatchObject({ issued: 1, sent: 1, delivered: 1 });
  });

  it("does not adopt another coupon's text to the same phone: it sends its own", async () => {
    const t = await h.tenant('Same phone');
    const to = randomPhone();
    const earlier = await h.issue(t, to);
    await h.jobs.enqueueSend(t.tenantId, earlier.id);
    await h.waitFor('the first coupon SMS to be delivered', delivered(earlier.id));
    // The second coupon's worker died mid-send before reaching Twilio.
    const coupon = await h.issue(t, to);
    await h.owner.query(`UPDATE coupons SET sms_status = 'sending', sms_status_at = now() - interval '6 seconds', sms_unconfirmed_at = now() - interval '6 seconds' WHERE id = $1`, [
      coupon.id,
    ]);

    await h.jobs.enqueueSend(t.tenantId, coupon.id);
    await h.waitFor('the second coupon SMS to be delivered', delivered(coupon.id));

    const inbox = await h.inbox(to);
    expect(inbox.map((m) => [m.body.includes(formatSerial(earlier.serial)), m.body.includes(formatSerial(coupon.serial))])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect((await h.jobs.sms.getJob(jobIdOf(t.tenantId, coupon.id)))?.returnvalue).toBe('sent');
    expect(await h.smsOf(coupon.id)).toEqual({ status: 'delivered', messageSid: inbox[1].sid, error: null });
  });
});
