import type { CouponEventsService } from '@ringflow/campaign';
import { createQueue, jobId, JobName, type QueueSettings } from '@ringflow/queue';
import type { Logger } from 'pino';

/**
 * Drains the coupon_events outbox into one tracking job per event. The job id is the event's, so a
 * second poll (or a second replica) adds nothing while the first is queued; an event stays pending
 * until its job marks it processed, so a crash anywhere means it is fed again.
 */
export class CouponEventFeeder {
  private readonly queue;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<number> | null = null;

  constructor(
    private readonly events: CouponEventsService,
    settings: QueueSettings,
    private readonly logger: Logger,
    private readonly batch = 500,
  ) {
    this.queue = createQueue(JobName.TrackCouponEvent, settings);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.pollOnce().catch((error: Error) => this.logger.error({ err: { name: error.name, message: error.message } }, 'coupon event poll failed')), intervalMs);
  }

  /** Queues what waits now; returns how many events were pending. */
  pollOnce(): Promise<number> {
    this.polling ??= this.feed().finally(() => (this.polling = null));
    return this.polling;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling?.catch(() => undefined);
    await this.queue.close();
  }

  private async feed(): Promise<number> {
    const pending = await this.events.pending(this.batch);
    if (!pending.length) return 0;
    await this.queue.addBulk(
      pending.map((e) => ({
        name: JobName.TrackCouponEvent,
        data: { tenantId: e.tenantId, eventId: e.id },
        // Failed jobs are dropped so the next poll feeds the event again; completed ones marked it processed.
        opts: { jobId: jobId('coupon-event', e.tenantId, e.id), attempts: 5, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true, removeOnFail: true },
      })),
    );
    return pending.length;
  }
}
