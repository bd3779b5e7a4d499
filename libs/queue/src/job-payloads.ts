import { JobName } from './job-name';

/**
 * What each job carries: the tenant and ids only. Never phone numbers, names or other PII:
 * a worker reads those from Postgres, under the tenant's row-level security, when it runs.
 */
export interface JobPayloads {
  [JobName.ExpandCampaign]: { tenantId: string; campaignId: string; /** The campaign-contact sequence to resume after. */ afterSeq: number };
  [JobName.DialContact]: {
    tenantId: string;
    campaignId: string;
    contactId: string;
    attempt: number;
    /** Set by the pacer when this dial holds a reserved slot for the time it was delayed to. */
    slotReserved?: boolean;
  };
}

export type JobPayload<N extends JobName> = JobPayloads[N];
