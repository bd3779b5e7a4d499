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
  [JobName.SendCouponSms]: { tenantId: string; couponId: string };
  /** `eventId`: the coupon_events id (bigint, as text). */
  [JobName.TrackCouponEvent]: { tenantId: string; eventId: string };
  [JobName.DeliverWebhook]: { tenantId: string; deliveryId: string };
  /** `messageId`: the sms_campaign_messages id. */
  [JobName.SendCampaignSms]: { tenantId: string; campaignId: string; messageId: string; /** Set by the SMS pacer: a slot is held for the time it was delayed to. */ slotReserved?: boolean };
}

export type JobPayload<N extends JobName> = JobPayloads[N];
