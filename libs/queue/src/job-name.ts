/** Every kind of background job the platform runs. A new one needs a payload and a queue (see below) to compile. */
export enum JobName {
  /** Expands a launched (or resumed) campaign's audience, one page at a time, into dial jobs. */
  ExpandCampaign = 'campaign.expand',
  /** Dials one contact for one attempt of a campaign. */
  DialContact = 'campaign.dial',
}
