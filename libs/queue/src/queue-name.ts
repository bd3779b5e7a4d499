import { JobName } from './job-name';

/** The BullMQ queues. Names are plain words: the shared prefix carries the Redis Cluster hash tag. */
export enum QueueName {
  CampaignControl = 'campaign-control',
  Dials = 'dials',
  Sms = 'sms',
  CouponEvents = 'coupon-events',
  Webhooks = 'webhooks',
  CampaignSms = 'campaign-sms',
}

/** Which queue runs each job; exhaustive, so a job without a queue is a compile error. */
export const JOB_QUEUES: Record<JobName, QueueName> = {
  [JobName.ExpandCampaign]: QueueName.CampaignControl,
  [JobName.DialContact]: QueueName.Dials,
  [JobName.SendCouponSms]: QueueName.Sms,
  [JobName.TrackCouponEvent]: QueueName.CouponEvents,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
  [JobName.SendCampaignSms]: QueueName.CampaignSms,
};
