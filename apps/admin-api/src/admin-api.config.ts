import { z } from 'zod';
import { envFields } from '@ringflow/config';

export const adminApiConfigSchema = z.object({
  DATABASE_URL: envFields.DATABASE_URL,
  REDIS_URL: envFields.REDIS_URL,
  PORT: envFields.PORT.default(3001),
  OPERATOR_API_KEY: envFields.OPERATOR_API_KEY,
  SECRETS_KEY: envFields.SECRETS_KEY,
  LOG_LEVEL: envFields.LOG_LEVEL,
  /** production turns GraphQL introspection off. */
  NODE_ENV: envFields.NODE_ENV,
});

export type AdminApiConfig = z.infer<typeof adminApiConfigSchema>;
