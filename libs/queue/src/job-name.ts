/** Every kind of background job the platform runs. A new one needs a payload and a queue (see below) to compile. */
export enum JobName {
  /** Expands a launched (or resumed) campaign's audience, one page at a time, into dial jobs. */
  ExpandCampaign = 'campaign.expand',
  /** Dials one contact for one attempt of a campaign. */
  DialContact = 'campaign.dial',
  /** Sends one issued coupon's SMS (worker-sms). */
  SendCouponSms = 'coupon.send-sms',
  /** Attributes and counts one coupon event from the coupon_events outbox (worker-redemptions). */
  TrackCouponEvent = 'coupon.track-event',
  /** Delivers one webhook to one tenant endpoint (worker-redemptions). */
  DeliverWebhook = 'webhook.deliver',
  /** Sends one contact's message of an SMS campaign (worker-sms). */
  SendCampaignSms = 'campaign.send-sms',
}
