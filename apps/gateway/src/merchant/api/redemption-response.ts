import { formatSerial, redemptionFailure, type RedemptionResult } from '@ringflow/campaign';
import { COUPON_STATUS } from './redemption-status';

export interface RedemptionResponse {
  status: number;
  body: Record<string, unknown>;
}

/** What a POS shows: the offer and discount when redeemed; when and where when already redeemed. Never the phone. */
export function redemptionResponse(result: RedemptionResult): RedemptionResponse {
  const base = { outcome: result.outcome, replayed: result.replayed };
  if (result.outcome === 'redeemed') {
    const { coupon, promotion } = result;
    return {
      status: 200,
      body: {
        ...base,
        serial: formatSerial(coupon.serial),
        redeemedAt: coupon.redeemedAt,
        orderAmount: coupon.orderAmount,
        offer: promotion.offer,
        discount: promotion.discount,
        promotion: { id: promotion.id, name: promotion.name },
      },
    };
  }
  const failure = redemptionFailure(result)!;
  const error = { code: failure.code, message: failure.message, ...(failure.field ? { field: failure.field } : {}) };
  const details =
    result.outcome === 'already-redeemed' ? { redeemedAt: result.at, merchant: { id: result.merchant.id, name: result.merchant.name } }
    : result.outcome === 'expired' ? { expiredAt: result.expiredAt }
    : {};
  return { status: COUPON_STATUS[failure.code], body: { ...base, ...details, error } };
}

export function slowDownResponse(retryAfterSeconds: number): RedemptionResponse {
  return {
    status: 429,
    body: { outcome: 'slowed', retryAfterSeconds, error: { code: 'too-many-attempts', message: `too many redemption attempts; retry after ${retryAfterSeconds} s` } },
  };
}
