/** The events a tenant's webhook endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['coupon.redeemed'] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The JSON body Ringflow posts. `id` is stable across retries and replays: receivers dedupe on it. */
export interface WebhookEvent<D = Record<string, unknown>> {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  tenantId: string;
  data: D;
}

/** `data` of a `coupon.redeemed` event: ids and amounts only (no phone number, no serial). */
export interface CouponRedeemedData {
  couponId: string;
  promotionId: string;
  campaignId: string | null;
  contactId: string | null;
  callSid: string | null;
  merchantId: string;
  /** A decimal string ("12.50"), or null when the merchant gave none. */
  orderAmount: string | null;
  issuedAt: string;
  redeemedAt: string;
}
