import { isIP } from 'node:net';
import { z } from 'zod';
import { envFields } from '@ringflow/config';

function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Comma-separated CIDR ranges the flows' HTTP nodes may reach despite the SSRF guard (e.g. an on-premise CRM). */
const allowCidrs = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== ''))
  .refine((list) => list.every(isCidr), { message: 'must be comma-separated CIDR ranges, e.g. 10.20.0.0/16,127.0.0.0/8' });

export const gatewayConfigSchema = z.object({
  DATABASE_URL: envFields.DATABASE_URL,
  REDIS_URL: envFields.REDIS_URL,
  PORT: envFields.PORT.default(3000),
  HOST: envFields.HOST,
  TRUSTED_PROXIES: envFields.TRUSTED_PROXIES,
  PUBLIC_BASE_URL: envFields.PUBLIC_BASE_URL.transform((url) => url.replace(/\/+$/, '')),
  OPERATOR_API_KEY: envFields.OPERATOR_API_KEY,
  SECRETS_KEY: envFields.SECRETS_KEY,
  LOG_LEVEL: envFields.LOG_LEVEL,
  HTTP_EGRESS_ALLOW_CIDRS: allowCidrs,
  /** The BullMQ namespace shared with the workers (coupon SMS jobs, campaign retries). */
  QUEUE_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'may hold only a-z, 0-9 and "-"').default('ringflow'),
  /** How often a replica tries to run the call sweeper (only one sweep at a time across replicas); 0 turns it off. */
  CALL_SWEEP_INTERVAL_SECONDS: z.coerce.number({ message: 'must be a number of seconds' }).int().min(0).max(3600).default(30),
  /** A call with no step for this long is looked up at Twilio by the sweeper. */
  CALL_SWEEP_IDLE_SECONDS: z.coerce.number({ message: 'must be a number of seconds' }).int().min(1).max(3600).default(600),
  /** A call Twilio cannot tell about (no credentials, not found) is closed as unknown after this long without a step. */
  CALL_SWEEP_GIVE_UP_SECONDS: z.coerce.number({ message: 'must be a number of seconds' }).int().min(1).max(4 * 3600).default(3600),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

/** Webhook and API bodies above this size get 413 before any handler runs. */
export const gatewayBodyLimit = 64 * 1024;

/** Twilio's webhooks: a line per answered step would be most of the log; refused and failed ones are still logged at info. */
export const gatewayQuietRoutes = ['/twilio/'] as const;
