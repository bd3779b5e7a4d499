import { createQueue, jobId, JobName, type QueueSettings } from '@ringflow/queue';
import type { Queue } from 'bullmq';
import type { JobPayload } from '@ringflow/queue';

/** Retries of a dial that Twilio refused for now (429, network): exponential from one second. */
export const DIAL_JOB_ATTEMPTS = 8;

/** Dial jobs per addBulk call (one Redis pipeline). */
export const DIAL_BULK = 1000;

/** One dial to queue: its attempt and how long from now it comes due. */
export interface DialJobRequest {
  data: JobPayload<JobName.DialContact>;
  delayMs: number;
}

/** The campaign queues (producers), shared by the services that launch, expand and retry. */
export class CampaignQueues {
  readonly dials: Queue<JobPayload<JobName.DialContact>, unknown, JobName.DialContact>;
  readonly control: Queue<JobPayload<JobName.ExpandCampaign>, unknown, JobName.ExpandCampaign>;
  /** SMS campaign messages (worker-sms). */
  readonly campaignSms: Queue<JobPayload<JobName.SendCampaignSms>, unknown, JobName.SendCampaignSms>;

  constructor(readonly settings: QueueSettings) {
    this.dials = createQueue(JobName.DialContact, settings);
    this.control = createQueue(JobName.ExpandCampaign, settings);
    this.campaignSms = createQueue(JobName.SendCampaignSms, settings);
  }

  /** The dial of one attempt; the id makes a second add of the same attempt a no-op while the first is queued. */
  dialJob(data: JobPayload<JobName.DialContact>, delayMs: number) {
    return {
      name: JobName.DialContact as const,
      data,
      opts: {
        jobId: jobId('dial', data.tenantId, data.campaignId, data.contactId, data.attempt),
        delay: Math.max(0, Math.round(delayMs)),
        attempts: DIAL_JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: 1000 },
        // Gone once done: the audience's state in Postgres says what is left, so a resume can add it again.
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
      },
    };
  }

  /**
   * Queues dials in bulks of at most DIAL_BULK, so a big page never builds one huge pipeline in memory;
   * two bulks in flight, so this process prepares the next while Redis runs the one before.
   */
  async enqueueDials(jobs: DialJobRequest[]): Promise<void> {
    let inFlight: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < jobs.length; i += DIAL_BULK) {
      const bulk = this.dials.addBulk(jobs.slice(i, i + DIAL_BULK).map((j) => this.dialJob(j.data, j.delayMs)));
      // Handled here so a failure while the one before is awaited is not an unhandled rejection; awaited below.
      bulk.catch(() => undefined);
      await inFlight;
      inFlight = bulk;
    }
    await inFlight;
  }

  /** The expansion of a campaign's audience from `afterSeq` on. */
  async enqueueExpansion(tenantId: string, campaignId: string, afterSeq: number, delayMs = 0): Promise<void> {
    const id = jobId('expand', tenantId, campaignId, afterSeq);
    const queued = await this.control.getJob(id);
    // Launched by hand before its scheduled time: the scheduled expansion runs now.
    if (queued && delayMs <= 0 && (await queued.isDelayed())) await queued.promote();
    await this.control.add(
      JobName.ExpandCampaign,
      { tenantId, campaignId, afterSeq },
      { jobId: id, delay: Math.max(0, Math.round(delayMs)), removeOnComplete: true, attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.dials.close(), this.control.close(), this.campaignSms.close()]);
  }
}
