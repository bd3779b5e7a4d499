import type { PromotionEntity } from '../promotion/promotion.entity';
import { CouponException } from './coupon.exception';
import type { CouponEntity } from './coupon.entity';

export type RedemptionOutcome = 'redeemed' | 'already-redeemed' | 'expired' | 'unknown' | 'malformed' | 'check-failed';

/** What a redemption attempt came to. `replayed` is true when an idempotency key returned an earlier answer. */
export type RedemptionResult = { replayed: boolean } & (
  | { outcome: 'redeemed'; coupon: CouponEntity; promotion: PromotionEntity }
  | { outcome: 'already-redeemed'; at: Date; merchant: { id: string; name: string } }
  | { outcome: 'expired'; expiredAt: Date }
  | { outcome: 'unknown' }
  | { outcome: 'malformed'; reason: string }
  | { outcome: 'check-failed' }
);

/** For edges that prefer throwing: the coded exception for an answer other than `redeemed`. */
export function redemptionFailure(result: RedemptionResult): CouponException | undefined {
  switch (result.outcome) {
    case 'redeemed':
      return undefined;
    case 'already-redeemed':
      return new CouponException('already-redeemed', `coupon already redeemed at ${result.at.toISOString()} by ${result.merchant.name}`);
    case 'expired':
      return new CouponException('expired', `coupon expired at ${result.expiredAt.toISOString()}`);
    case 'unknown':
      return new CouponException('unknown', 'no coupon has this serial', 'serial');
    case 'malformed':
      return new CouponException('malformed', `serial is malformed: ${result.reason}`, 'serial');
    case 'check-failed':
      return new CouponException('check-failed', 'serial has a typo: its check character does not match', 'serial');
  }
}
