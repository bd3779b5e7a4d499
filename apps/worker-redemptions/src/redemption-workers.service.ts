import type { RedemptionTracker, WebhookDeliveriesService } from '@ringflow/campaign';
import { createWorker, type JobName, QueueName } from '@ringflow/queue';
import { asTenantId } from '@ringflow/tenancy';
import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { CouponEventFeeder } from './coupon-event-feeder';
import type { WebhookDeliveryProcessor } from './webhook-delivery.processor';

export interface RedemptionWorkersOptions {
  connection: Redis;
  namespace: string;
  pollMs: number;
  trackConcurrency: number;
  webhookConcurrency: number;
  /** How often failed delivery jobs of still-pending deliveries are put back (WebhookDeliveriesService.requeueStranded). */
  sweepMs: number;
}

/** This app's BullMQ workers (event tracking, webhook delivery) and the outbox feeder; closed on shutdown. */
export class RedemptionWorkers {
  private readonly workers: Array<Worker<any, unknown, any>> = [];
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;

  constructor(
    private readonly tracker: RedemptionTracker,
    private readonly webhooks: WebhookDeliveryProcessor,
    private readonly feeder: CouponEventFeeder,
    private readonly logger: Logger,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  start(options: RedemptionWorkersOptions): void {
    const { connection, namespace } = options;
    const tracking = createWorker<JobName.TrackCouponEvent>(
      QueueName.CouponEvents,
      async (job) => (await this.tracker.track(asTenantId(job.data.tenantId), job.data.eventId)).kind,
      { connection, namespace, concurrency: options.trackConcurrency },
    );
    const delivery = createWorker<JobName.DeliverWebhook>(QueueName.Webhooks, (job) => this.webhooks.process(job), {
      connection,
      namespace,
      concurrency: options.webhookConcurrency,
    });
    for (const worker of [tracking, delivery]) {
      // Job ids hold tenant, event and delivery ids only; errors are logged by name and reason, never with bodies or secrets.
      worker.on('failed', (job, error) => this.logger.warn({ queue: worker.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: { name: error.name, message: error.message } }, 'job failed'));
      worker.on('error', (error) => this.logger.error({ queue: worker.name, err: { name: error.name } }, 'worker error'));
      this.workers.push(worker);
    }
    this.feeder.start(options.pollMs);
    this.sweeper = setInterval(() => void this.sweepOnce(), options.sweepMs);
  }

  /** Puts back the jobs BullMQ failed while their delivery is still pending (a worker killed twice holding one). */
  sweepOnce(): Promise<unknown> {
    this.sweeping ??= this.deliveries
      .requeueStranded()
      .then(
        (requeued) => requeued && this.logger.warn({ requeued }, 'webhook deliveries requeued: their jobs had failed while the deliveries were pending'),
        (error: Error) => this.logger.error({ err: { name: error.name, message: error.message } }, 'webhook delivery sweep failed'),
      )
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    await this.sweeping;
    await this.feeder.close();
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
  }
}
