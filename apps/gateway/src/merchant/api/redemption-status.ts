import type { CouponExceptionCode } from '@ringflow/campaign';

/** HTTP statuses of coupon errors, as CouponException's doc gives them. */
export const COUPON_STATUS: Record<CouponExceptionCode, number> = {
  unknown: 404,
  'promotion-not-found': 404,
  'merchant-not-found': 404,
  'already-redeemed': 409,
  'idempotency-conflict': 409,
  expired: 410,
  malformed: 422,
  'check-failed': 422,
  'invalid-input': 422,
  'promotion-not-active': 422,
};
