import { createQueue, jobId, JobName, type JobPayload, type QueueSettings } from '@ringflow/queue';
import type { Queue } from 'bullmq';

export interface WebhookJobsOptions {
  /** Tries before a delivery is dead-lettered; default 8. */
  attempts?: number;
  /** First backoff delay; doubles per try (default 2000 ms: 8 tries span about 4 minutes). */
  backoffMs?: number;
}

export const DEFAULT_WEBHOOK_ATTEMPTS = 8;

/** Producer of webhook delivery jobs: one per delivery and replay. */
export class WebhookJobs {
  readonly queue: Queue<JobPayload<JobName.DeliverWebhook>, unknown, JobName.DeliverWebhook>;
  readonly attempts: number;

  constructor(
    settings: QueueSettings,
    private readonly options: WebhookJobsOptions = {},
  ) {
    this.queue = createQueue(JobName.DeliverWebhook, settings);
    this.attempts = options.attempts ?? DEFAULT_WEBHOOK_ATTEMPTS;
  }

  /** Queues a delivery; the id names its replay, so a replay is a new job and a repeat of the same is not. */
  async enqueue(tenantId: string, deliveryId: string, replay: number): Promise<void> {
    await this.queue.add(
      JobName.DeliverWebhook,
      { tenantId, deliveryId },
      {
        jobId: jobId('webhook', tenantId, deliveryId, replay),
        attempts: this.attempts,
        backoff: { type: 'exponential', delay: this.options.backoffMs ?? 2000 },
      },
    );
  }

  /**
   * Failed jobs, newest first, at most `limit`. A delivery's last try marks it dead and completes its job, so the
   * failed ones are those BullMQ failed itself (its worker died twice while holding it: more stalls than
   * maxStalledCount) or whose try's own bookkeeping failed: their delivery may still be pending.
   */
  async failed(limit = 500): Promise<Array<{ tenantId: string; deliveryId: string; retry: () => Promise<void>; remove: () => Promise<void> }>> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.filter((job) => job?.data).map((job) => ({
      tenantId: job.data.tenantId,
      deliveryId: job.data.deliveryId,
      retry: () => job.retry('failed'),
      remove: () => job.remove(),
    }));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
