import { createQueue, jobId, JobName, type JobPayload, type QueueSettings } from '@ringflow/queue';
import type { Queue } from 'bullmq';

/** Tries of a coupon SMS that Twilio refused for now (429, network) or that another run held: exponential from `backoffMs`. */
export const COUPON_SMS_ATTEMPTS = 6;

export interface CouponJobsOptions {
  attempts?: number;
  /** First backoff delay; doubles per try. Default 1000 ms. */
  backoffMs?: number;
}

/** Producer of the coupon SMS jobs (the gateway's coupon port, after CouponIssuerService.issue). */
export class CouponJobs {
  readonly sms: Queue<JobPayload<JobName.SendCouponSms>, unknown, JobName.SendCouponSms>;

  constructor(
    settings: QueueSettings,
    private readonly options: CouponJobsOptions = {},
  ) {
    this.sms = createQueue(JobName.SendCouponSms, settings);
  }

  /**
   * Queues the SMS of an issued coupon. The job id is the coupon's, so enqueueing it again (a replayed webhook)
   * adds nothing while the first is kept; the worker sends once either way (a coupon with a message SID is done).
   */
  async enqueueSend(tenantId: string, couponId: string): Promise<void> {
    await this.sms.add(
      JobName.SendCouponSms,
      { tenantId, couponId },
      {
        jobId: jobId('coupon-sms', tenantId, couponId),
        attempts: this.options.attempts ?? COUPON_SMS_ATTEMPTS,
        backoff: { type: 'exponential', delay: this.options.backoffMs ?? 1000 },
      },
    );
  }

  async close(): Promise<void> {
    await this.sms.close();
  }
}
