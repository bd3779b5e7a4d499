import { jobId } from '@ringflow/queue';

export { formatSerial } from '@ringflow/campaign';

/** The BullMQ id CouponJobs gives a coupon's SMS job. */
export const jobIdOf = (tenantId: string, couponId: string) => jobId('coupon-sms', tenantId, couponId);

/** A random valid US mobile-looking number (exchange 200-999), distinct per call in practice. */
export function randomPhone(): string {
  const exchange = 200 + Math.floor(Math.random() * 800);
  const line = String(Math.floor(Math.random() * 10_000)).padStart(4, '0');
  return `+1646${exchange}${line}`;
}
