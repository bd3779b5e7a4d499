import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { REDIS } from '@ringflow/database';
import type { TenantId } from '@ringflow/tenancy';
import { MERCHANT_SETTINGS, type MerchantSettings } from '../merchant.config';

/** Who is redeeming: the merchant, the key or signed-in user acting for it, and the client's address. */
export interface RedemptionSubject {
  tenantId: TenantId;
  merchantId: string;
  /** `api-key:<id>` or `merchant-user:<id>`. */
  credential: string;
  ip: string;
}

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/**
 * Redis-backed limits on redemption attempts (every key carries the tenant): per merchant, per credential, per
 * address and per tenant, plus a lockout of the merchant after repeated unknown, malformed or mistyped serials.
 */
@Injectable()
export class RedemptionLimiter implements OnModuleDestroy {
  private readonly rates: { limiter: RateLimiterRedis; key: (s: RedemptionSubject) => string }[];
  private readonly failures: RateLimiterRedis;
  /**
   * A connection of its own with auto-pipelining: the lockout check and the four counters of one attempt are issued
   * in the same tick and leave in one write, one round trip (on the shared connection they were five writes).
   */
  private readonly redis: Redis;
  private readonly logger = new Logger('RedemptionLimiter');

  constructor(
    @Inject(REDIS) shared: Redis,
    @Inject(MERCHANT_SETTINGS) private readonly settings: MerchantSettings,
  ) {
    const redis = shared.duplicate({ enableAutoPipelining: true, connectionName: 'ringflow-merchant-limits' });
    redis.on('error', (error: Error) => this.logger.warn(`redis connection (merchant limits): ${error.message}`));
    this.redis = redis;
    const perMinute = (keyPrefix: string, points: number) => new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: 60 });
    this.rates = [
      { limiter: perMinute('rf:redeem:merchant', settings.MERCHANT_REDEMPTIONS_PER_MINUTE), key: (s) => `${s.tenantId}:${s.merchantId}` },
      { limiter: perMinute('rf:redeem:credential', settings.MERCHANT_REDEMPTIONS_PER_MINUTE), key: (s) => `${s.tenantId}:${s.credential}` },
      { limiter: perMinute('rf:redeem:ip', settings.MERCHANT_REDEMPTIONS_PER_MINUTE), key: (s) => `${s.tenantId}:${s.ip}` },
      { limiter: perMinute('rf:redeem:tenant', settings.MERCHANT_TENANT_REDEMPTIONS_PER_MINUTE), key: (s) => `${s.tenantId}` },
    ];
    this.failures = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'rf:redeem:failures',
      points: settings.MERCHANT_LOCKOUT_FAILURES,
      duration: settings.MERCHANT_LOCKOUT_WINDOW_SECONDS,
      blockDuration: settings.MERCHANT_LOCKOUT_SECONDS,
    });
  }

  /**
   * Counts an attempt against every limit; refuses while the merchant is locked out or any limit is spent. The
   * lockout is read alongside the counting (one round trip); an attempt refused by the lockout is then uncounted.
   */
  async admit(subject: RedemptionSubject): Promise<LimitVerdict> {
    const [lock, settled] = await Promise.all([
      this.failures.get(this.lockKey(subject)),
      Promise.allSettled(this.rates.map(({ limiter, key }) => limiter.consume(key(subject)))),
    ]);
    if (lock && lock.consumedPoints > this.settings.MERCHANT_LOCKOUT_FAILURES) {
      // Refused before it counted: give the points back, so a locked-out merchant does not spend its address's or tenant's.
      await Promise.all(this.rates.map(({ limiter, key }) => limiter.reward(key(subject))));
      return { allowed: false, retryAfterSeconds: retryAfter(lock) };
    }
    let wait = 0;
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') continue;
      if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
      wait = Math.max(wait, retryAfter(outcome.reason));
    }
    return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
  }

  /** Counts a failed attempt; `lockedOut` is true for the one attempt that locked the merchant out. */
  async recordFailure(subject: RedemptionSubject): Promise<{ lockedOut: boolean; lockedForSeconds: number }> {
    try {
      await this.failures.consume(this.lockKey(subject));
      return { lockedOut: false, lockedForSeconds: 0 };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return { lockedOut: error.consumedPoints === this.settings.MERCHANT_LOCKOUT_FAILURES + 1, lockedForSeconds: retryAfter(error) };
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit();
    else this.redis.disconnect();
  }

  private lockKey(subject: RedemptionSubject): string {
    return `${subject.tenantId}:${subject.merchantId}`;
  }
}
