import { rateLimitDelayMs } from './rate-limit-backoff';

describe('rateLimitDelayMs', () => {
  it("honours Twilio's Retry-After, capped", () => {
    expect(rateLimitDelayMs(0, 2500, 200, 30_000)).toBe(2500);
    expect(rateLimitDelayMs(7, 0, 200, 30_000)).toBe(1);
    expect(rateLimitDelayMs(0, 120_000, 200, 30_000)).toBe(30_000);
  });

  it('doubles from the base per 429 in a row, within the upper half of each step, up to the cap', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect([0, 1, 2, 3].map((n) => rateLimitDelayMs(n, null, 200, 30_000, low))).toEqual([100, 200, 400, 800]);
    expect([0, 1, 2, 3].map((n) => rateLimitDelayMs(n, null, 200, 30_000, high))).toEqual([200, 400, 800, 1600]);
    expect(rateLimitDelayMs(20, null, 200, 30_000, low)).toBe(15_000);
    expect(rateLimitDelayMs(1000, null, 200, 30_000, high)).toBe(30_000);
  });
});
