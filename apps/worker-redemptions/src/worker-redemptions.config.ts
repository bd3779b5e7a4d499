import { workerConfigSchema } from '@ringflow/config';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const count = (min: number, max: number) => z.coerce.number({ message: 'must be a number' }).int().min(min).max(max);

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

/** worker-redemptions: the worker variables, how the coupon outbox is drained and how webhooks are delivered. */
export const workerRedemptionsConfigSchema = workerConfigSchema.extend({
  /** Comma-separated CIDR ranges webhook endpoints may reach despite the SSRF guard (e.g. an on-premise CRM). */
  HTTP_EGRESS_ALLOW_CIDRS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
    .refine((list) => list.every(isCidr), { message: 'must be comma-separated CIDR ranges, e.g. 10.20.0.0/16,127.0.0.0/8' }),
  /** How often the coupon_events outbox is checked for new redemptions. */
  EVENT_POLL_MS: count(50, 60_000).default(1000),
  TRACK_CONCURRENCY: count(1, 100).default(4),
  WEBHOOK_CONCURRENCY: count(1, 1000).default(20),
  /** Tries of a webhook delivery before it is dead-lettered (replayable). */
  WEBHOOK_ATTEMPTS: count(1, 30).default(8),
  /** The first retry delay; it doubles per try. */
  WEBHOOK_RETRY_BACKOFF_MS: count(10, 3_600_000).default(2000),
  /** Whole-request deadline of one webhook post. */
  WEBHOOK_TIMEOUT_MS: count(100, 10_000).default(10_000),
  /** How often webhook jobs BullMQ failed (a worker killed twice while holding one) are put back while their delivery is pending. */
  WEBHOOK_SWEEP_MS: count(100, 3_600_000).default(30_000),
  /** The BullMQ namespace; every process of one deployment uses the same. */
  QUEUE_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'may hold only a-z, 0-9 and "-"').default('ringflow'),
});

export type WorkerRedemptionsConfig = z.infer<typeof workerRedemptionsConfigSchema>;
