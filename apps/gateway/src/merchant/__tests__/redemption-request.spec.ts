import { CouponException } from '@ringflow/campaign';
import { redemptionRequestOf } from '../api/redemption-request';

function fieldOf(body: unknown, header?: string | string[]): string | undefined {
  try {
    redemptionRequestOf(body, header);
    return undefined;
  } catch (error) {
    return error instanceof CouponException ? error.field : 'not a coupon error';
  }
}

describe('redemption request', () => {
  it('takes the serial, amount and key, with the key from the header when the body has none', () => {
    expect(redemptionRequestOf({ serial: 'abc', orderAmount: 12.5 }, 'pos-1')).toEqual({ serial: 'abc', orderAmount: 12.5, idempotencyKey: 'pos-1' });
    expect(redemptionRequestOf({ serial: 'abc', orderAmount: null, idempotencyKey: 'k' }, 'k')).toEqual({ serial: 'abc', orderAmount: undefined, idempotencyKey: 'k' });
  });

  it('names the field at fault', () => {
    expect(fieldOf('serial=abc')).toBe('body');
    expect(fieldOf(null)).toBe('body');
    expect(fieldOf({ serial: 'a', merchantId: 'x' })).toBe('merchantId');
    expect(fieldOf({ serial: ['a'] })).toBe('serial');
    expect(fieldOf({ serial: 'a', idempotencyKey: 'has space' })).toBe('idempotencyKey');
    expect(fieldOf({ serial: 'a' }, ['k1', 'k2'])).toBe('Idempotency-Key');
    expect(fieldOf({ serial: 'a' }, 'x'.repeat(201))).toBe('Idempotency-Key');
  });
});
