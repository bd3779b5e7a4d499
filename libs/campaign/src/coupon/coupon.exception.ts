export type CouponExceptionCode =
  | 'unknown'
  | 'already-redeemed'
  | 'expired'
  | 'malformed'
  | 'check-failed'
  | 'promotion-not-found'
  | 'promotion-not-active'
  | 'merchant-not-found'
  | 'idempotency-conflict'
  | 'invalid-input';

/**
 * A coded coupon error; each edge translates the code (HTTP: unknown and *-not-found 404, already-redeemed
 * and idempotency-conflict 409, expired 410, malformed, check-failed, invalid-input and promotion-not-active 422).
 * Messages never contain a phone number or a serial.
 */
export class CouponException extends Error {
  constructor(
    readonly code: CouponExceptionCode,
    message: string,
    /** The input field at fault, where there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CouponException';
  }
}
