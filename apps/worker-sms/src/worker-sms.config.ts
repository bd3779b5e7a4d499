import { envFields, workerConfigSchema } from '@ringflow/config';
import { z } from 'zod';

const count = (min: number, max: number) => z.coerce.number({ message: 'must be a number' }).int().min(min).max(max);

/** worker-sms: the worker variables, where Twilio posts message statuses (the gateway), and the send pace. */
export const workerSmsConfigSchema = workerConfigSchema.extend({
  PUBLIC_BASE_URL: envFields.PUBLIC_BASE_URL.transform((url) => url.replace(/\/+$/, '')),
  SMS_CONCURRENCY: count(1, 1000).default(20),
  /** Tries of a coupon SMS Twilio refused for now (429, network) before it is reported failed. */
  SMS_ATTEMPTS: count(1, 20).default(6),
  /** The first retry delay; it doubles per try. */
  SMS_RETRY_BACKOFF_MS: count(10, 600_000).default(1000),
  /** How long a send holds its coupon before another run may take it over (a worker that died mid-send). */
  SMS_CLAIM_MS: count(1000, 600_000).default(60_000),
  /** After an attempt with no clear answer (died, timed out, 5xx), how long before its message is looked for at Twilio. */
  SMS_LOOKUP_SETTLE_MS: count(0, 600_000).default(10_000),
  /** The first wait after a 429 without Retry-After (doubling, with jitter); 429s use no try. Default: SMS_RETRY_BACKOFF_MS. */
  SMS_RATE_LIMIT_BACKOFF_MS: count(10, 600_000).optional(),
  /** The longest wait after one 429 (also caps Retry-After). */
  SMS_RATE_LIMIT_MAX_BACKOFF_MS: count(100, 3_600_000).default(30_000),
  /** How long after it was queued a coupon SMS keeps waiting out 429s before it is reported failed (20429). */
  SMS_RATE_LIMIT_GIVE_UP_MS: count(1000, 7 * 24 * 3_600_000).default(4 * 3_600_000),
  /** The most messages a second worker-sms sends from one number; a 429 halves its pace, accepted messages restore it. */
  SMS_SENDER_MPS: count(1, 10_000).default(30),
  /** The BullMQ namespace; every process of one deployment uses the same. */
  QUEUE_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'may hold only a-z, 0-9 and "-"').default('ringflow'),
});

export type WorkerSmsConfig = z.infer<typeof workerSmsConfigSchema>;
