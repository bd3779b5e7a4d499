import { z } from 'zod';
import { egressAllowCidrs, envFields } from '@ringflow/config';

export const adminApiConfigSchema = z.object({
  DATABASE_URL: envFields.DATABASE_URL,
  REDIS_URL: envFields.REDIS_URL,
  PORT: envFields.PORT.default(3001),
  OPERATOR_API_KEY: envFields.OPERATOR_API_KEY,
  SECRETS_KEY: envFields.SECRETS_KEY,
  LOG_LEVEL: envFields.LOG_LEVEL,
  /** CIDR ranges a tenant's SMTP server may be in despite the SSRF guard (the gateway's list: set both alike). */
  HTTP_EGRESS_ALLOW_CIDRS: egressAllowCidrs,
  /** BullMQ namespace shared with the workers: launching a campaign or replaying a webhook queues jobs there. */
  QUEUE_NAMESPACE: z.string().regex(/^[a-z0-9-]+$/, 'may hold only a-z, 0-9 and "-"').default('ringflow'),
  /** production turns GraphQL introspection off. */
  NODE_ENV: envFields.NODE_ENV,
});

export type AdminApiConfig = z.infer<typeof adminApiConfigSchema>;

/** Request bodies up to 4 MiB: a contact import of tens of thousands of rows is one request. */
export const ADMIN_API_BODY_LIMIT = 4 * 1024 * 1024;
