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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
} as const;

/** Decodes SECRETS_KEY (hex or base64); undefined when it is neither. */
export function secretsKeyBytes(value: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value)) return Buffer.from(value, 'base64');
  return undefined;
}
