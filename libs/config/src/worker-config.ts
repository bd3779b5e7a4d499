import { z } from 'zod';
import { envFields } from './env-fields';

/** What every worker needs: the data stores, the secrets key (tenant Twilio tokens) and the Twilio base URL. */
export const workerConfigSchema = z.object({
  DATABASE_URL: envFields.DATABASE_URL,
  REDIS_URL: envFields.REDIS_URL,
  SECRETS_KEY: envFields.SECRETS_KEY,
  TWILIO_API_BASE_URL: envFields.TWILIO_API_BASE_URL,
  LOG_LEVEL: envFields.LOG_LEVEL,
});

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
