import { isIP } from 'node:net';
import { z } from 'zod';

const url = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a ${protocols.join(' or ')} URL, e.g. ${example}` },
  );

/** An IP address, or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
export function isAddressOrCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/** A comma-separated list of addresses and CIDR ranges; `none` (or empty) is the empty list. A parsed list passes as it is. */
const addressList = (example: string) =>
  z
    .union([
      z.string().transform((value) => (value.trim().toLowerCase() === 'none' ? [] : value.split(',').map((part) => part.trim()).filter((part) => part !== ''))),
      z.array(z.string()),
    ])
    .refine((list) => list.every(isAddressOrCidr), { message: `must be comma-separated IP addresses or CIDR ranges, or "none", e.g. ${example}` });

/** The variables the apps share, each validated with a message that says what a good value looks like. */
export const envFields = {
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://ringflow_app:ringflow_app@127.0.0.1:5432/ringflow'),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535),
  PUBLIC_BASE_URL: url(['http:', 'https:'], 'https://ivr.example.com'),
  OPERATOR_API_KEY: z.string().min(24, 'must be at least 24 characters'),
  SECRETS_KEY: z
    .string()
    .refine((value) => secretsKeyBytes(value)?.length === 32, {
      message: 'must be 32 bytes as 64 hex characters or base64 (generate: openssl rand -hex 32)',
    }),
  TWILIO_API_BASE_URL: url(['http:', 'https:'], 'http://127.0.0.1:4010').optional(),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** The address an HTTP app listens on: an IP literal or a host name. */
  HOST: z
    .string()
    .refine((value) => isIP(value) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value), {
      message: 'must be an IP address or a host name, e.g. 0.0.0.0 (every interface) or 127.0.0.1',
    })
    .default('0.0.0.0'),
  /**
   * The reverse proxies (load balancers) whose X-Forwarded-For is believed; other peers' is ignored.
   * Default loopback only (a proxy on the same host); `none` believes no one.
   */
  TRUSTED_PROXIES: addressList('10.0.0.5 or 10.0.0.0/24,127.0.0.1').default(['127.0.0.0/8', '::1/128']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
} as const;

/** Decodes SECRETS_KEY (hex or base64); undefined when it is neither. */
export function secretsKeyBytes(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value)) return Buffer.from(value, 'base64');
  return undefined;
}
