import { envFields, workerConfigSchema } from '@ringflow/config';
import { z } from 'zod';

/** worker-calls: the worker variables, where Twilio reaches the gateway, and how many dials run at once. */
export const workerCallsConfigSchema = workerConfigSchema.extend({
  PUBLIC_BASE_URL: envFields.PUBLIC_BASE_URL,
  DIAL_CONCURRENCY: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1000).default(100),
  /** How long a dial job is locked to its worker; a dead worker's jobs are taken over after it. */
  JOB_LOCK_MS: z.coerce.number({ message: 'must be a number' }).int().min(1000).max(600_000).default(30_000),
  /** How often campaigns are reconciled with Twilio and the queues (one run at a time across processes). */
  RECONCILE_MS: z.coerce.number({ message: 'must be a number' }).int().min(200).max(3_600_000).default(30_000),
  /** An attempt without an outcome this long after it was placed is asked about at Twilio (its status callback is lost). */
  ATTEMPT_OUTCOME_BOUND_MS: z.coerce.number({ message: 'must be a number' }).int().min(100).max(86_400_000).default(300_000),
  /** The BullMQ and pacing namespace; every process of one deployment uses the same. */
  QUEUE_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'may hold only a-z, 0-9 and "-"').default('ringflow'),
});

export type WorkerCallsConfig = z.infer<typeof workerCallsConfigSchema>;
