/**
 * How long to wait after the `runs`-th 429 in a row: Twilio's Retry-After when it sent one (capped at `maxMs`),
 * else `baseMs` doubling per run up to `maxMs`, drawn from its upper half so waiting senders spread out.
 */
export function rateLimitDelayMs(runs: number, retryAfterMs: number | null, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  if (retryAfterMs !== null && retryAfterMs >= 0) return Math.min(maxMs, Math.max(1, retryAfterMs));
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(runs, 30));
  return Math.max(1, Math.round(ceiling / 2 + random() * (ceiling / 2)));
}
