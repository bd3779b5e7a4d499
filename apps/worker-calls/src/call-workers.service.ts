import type { CampaignExpander } from '@ringflow/campaign';
import { createWorker, type JobName, QueueName } from '@ringflow/queue';
import { asTenantId } from '@ringflow/tenancy';
import type { Worker } from 'bullmq';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { DialContactProcessor } from './dial-contact.processor';

export interface CallWorkersOptions {
  connection: Redis;
  namespace: string;
  dialConcurrency: number;
  lockDurationMs: number;
}

/** The BullMQ workers of this app: campaign expansion and dials. Closed (letting active jobs finish) on shutdown. */
export class CallWorkers {
  private readonly workers: Array<Worker<any, unknown, any>> = [];

  constructor(
    private readonly dial: DialContactProcessor,
    private readonly expander: CampaignExpander,
    private readonly logger: Logger,
  ) {}

  start(options: CallWorkersOptions): void {
    const { connection, namespace } = options;
    const dials = createWorker<JobName.DialContact>(QueueName.Dials, (job, token) => this.dial.process(job, token), {
      connection,
      namespace,
      concurrency: options.dialConcurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
    });
    const control = createWorker<JobName.ExpandCampaign>(
      QueueName.CampaignControl,
      async (job) => {
        const page = await this.expander.expandAndChain(asTenantId(job.data.tenantId), job.data.campaignId, job.data.afterSeq);
        return { enqueued: page.enqueued, nextAfterSeq: page.nextAfterSeq };
      },
      { connection, namespace, concurrency: 4 },
    );
    for (const worker of [dials, control]) {
      // Job ids hold tenant and record ids only; errors are logged by code, never with numbers.
      worker.on('failed', (job, error) => this.logger.warn({ queue: worker.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: { name: error.name, code: (error as { code?: string }).code } }, 'job failed'));
      worker.on('error', (error) => this.logger.error({ queue: worker.name, err: { name: error.name, message: error.message } }, 'worker error'));
      this.workers.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.close()));
  }
}
