import { envFields, workerConfigSchema } from '@ringflow/config';
import { z } from 'zod';

/** worker-calls: the worker variables, where Twilio reaches the gateway, and how many dials run at once. */
export const workerCallsConfigSchema = workerConfigSchema.extend({
  PUBLIC_BASE_URL: envFields.PUBLIC_BASE_URL,
  DIAL_CONCURRENCY: z.coerce.number({ message: 'must be a number' }).int().min(1).max(1000).default(50),
  /** How long a dial job is locked to its worker; a dead worker's jobs are taken over after it. */
  JOB_LOCK_MS: z.coerce.number({ message: 'must be a number' }).int().min(1000).max(600_000).default(30_000),
  /** true: no one-second window at Twilio ever holds more than the CPS, at some rate; false: full rate (see DialPacer). */
  PACING_STRICT: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true').transform((v) => v === 'true'),
  /** The BullMQ and pacing namespace; every process of one deployment uses the same. */
  QUEUE_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'may hold only a-z, 0-9 and "-"').default('ringflow'),
});

export type WorkerCallsConfig = z.infer<typeof workerCallsConfigSchema>;
