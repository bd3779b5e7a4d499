import { createWorker, type JobName, QueueName } from '@ringflow/queue';
import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { CampaignSmsProcessor } from './campaign-sms.processor';
import type { CouponSmsProcessor } from './coupon-sms.processor';

/** The BullMQ workers of this app: coupon SMS and SMS campaign messages. Closed (letting active jobs finish) on shutdown. */
export class SmsWorkers {
  private readonly workers: Array<Worker<any, unknown, any>> = [];

  constructor(
    private readonly couponSms: CouponSmsProcessor,
    private readonly campaignSms: CampaignSmsProcessor,
    private readonly logger: Logger,
  ) {}

  start(options: { connection: Redis; namespace: string; concurrency: number }): void {
    const sms = createWorker<JobName.SendCouponSms>(QueueName.Sms, (job, token) => this.couponSms.process(job, token), {
      connection: options.connection,
      namespace: options.namespace,
      concurrency: options.concurrency,
    });
    // Job ids and errors hold tenant and coupon ids and codes only: never the phone number or the serial.
    sms.on('completed', (job, result) => this.logger.debug({ queue: sms.name, jobId: job.id, result }, 'coupon SMS job done'));
    sms.on('failed', (job, error) =>
      this.logger.warn({ queue: sms.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: { name: error.name, code: (error as { code?: string }).code } }, 'coupon SMS job failed'),
    );
    sms.on('error', (error) => this.logger.error({ queue: sms.name, err: { name: error.name } }, 'worker error'));
    this.workers.push(sms);

    const campaign = createWorker<JobName.SendCampaignSms>(QueueName.CampaignSms, (job, token) => this.campaignSms.process(job, token), {
      connection: options.connection,
      namespace: options.namespace,
      concurrency: options.concurrency,
    });
    campaign.on('completed', (job, result) => this.logger.debug({ queue: campaign.name, jobId: job.id, result }, 'SMS campaign job done'));
    campaign.on('failed', (job, error) =>
      this.logger.warn({ queue: campaign.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: { name: error.name, code: (error as { code?: string }).code } }, 'SMS campaign job failed'),
    );
    campaign.on('error', (error) => this.logger.error({ queue: campaign.name, err: { name: error.name } }, 'worker error'));
    this.workers.push(campaign);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
  }
}
