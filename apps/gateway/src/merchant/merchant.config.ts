import { z } from 'zod';
import { loadConfig } from '@ringflow/config';

const count = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

const merchantEnvSchema = z.object({
  /** Off only for a development gateway on http://127.0.0.1 or http://localhost. */
  MERCHANT_COOKIE_SECURE: z.enum(['true', 'false']).default('true').transform((value) => value === 'true'),
  /** Each of: per merchant, per API key or signed-in user, per client address. */
  MERCHANT_REDEMPTIONS_PER_MINUTE: count(60),
  MERCHANT_TENANT_REDEMPTIONS_PER_MINUTE: count(1200),
  /** Unknown, malformed or mistyped serials a merchant may try within the window before it is locked out. */
  MERCHANT_LOCKOUT_FAILURES: count(10),
  MERCHANT_LOCKOUT_WINDOW_SECONDS: count(900),
  MERCHANT_LOCKOUT_SECONDS: count(900),
  MERCHANT_SIGN_IN_FAILURES: count(10),
});

export type MerchantSettings = z.infer<typeof merchantEnvSchema>;

function isLoopbackHttp(url: string): boolean {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
}

/** The merchant page's and API's settings from the environment; a bad value stops the gateway and names the variable. */
export function loadMerchantSettings(publicBaseUrl: string, env: NodeJS.ProcessEnv = process.env): MerchantSettings {
  const schema = merchantEnvSchema.refine((settings) => settings.MERCHANT_COOKIE_SECURE || isLoopbackHttp(publicBaseUrl), {
    path: ['MERCHANT_COOKIE_SECURE'],
    message: 'may be false only when PUBLIC_BASE_URL is http://127.0.0.1 or http://localhost (development)',
  });
  return loadConfig('gateway', schema, env);
}

export const MERCHANT_SETTINGS = Symbol('MERCHANT_SETTINGS');
