/**
 * Per-key requests-per-second limit over a sliding one-second window: what Twilio's
 * per-account CPS / MPS feels like from the client side (a 429 when pushed past it).
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a hit and says whether it fits within `perSecond`. */
  tryAcquire(key: string, perSecond: number): boolean {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < 1000);
    if (recent.length >= perSecond) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(key, recent);
    return true;
  }
}
