import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { REDIS } from '@ringflow/database';
import { MERCHANT_SETTINGS, type MerchantSettings } from '../merchant.config';

const WINDOW_SECONDS = 15 * 60;

/**
 * Failed sign-ins per email and per address. The tenant is not known before sign-in, so these keys carry
 * none; the email is hashed, so Redis holds no address book.
 */
@Injectable()
export class SignInLimiter {
  private readonly perEmail: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(MERCHANT_SETTINGS) settings: MerchantSettings) {
    const limiter = (keyPrefix: string, points: number) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
    this.perEmail = limiter('rf:merchant-sign-in:email', settings.MERCHANT_SIGN_IN_FAILURES);
    this.perIp = limiter('rf:merchant-sign-in:ip', settings.MERCHANT_SIGN_IN_FAILURES * 3);
  }

  /** Seconds to wait before trying again (once the failures allowed are spent), or 0. */
  async wait(email: string, ip: string): Promise<number> {
    const [byEmail, byIp] = await Promise.all([this.perEmail.get(emailKey(email)), this.perIp.get(ip)]);
    const blocked = [[byEmail, this.perEmail.points], [byIp, this.perIp.points]] as const;
    const waits = blocked.map(([res, points]) => (res && res.consumedPoints >= points ? Math.ceil(res.msBeforeNext / 1000) : 0));
    return Math.max(0, ...waits);
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    for (const [limiter, key] of [[this.perEmail, emailKey(email)], [this.perIp, ip]] as const) {
      await limiter.consume(key).catch((error: unknown) => {
        if (!(error instanceof RateLimiterRes)) throw error;
      });
    }
  }

  async recordSuccess(email: string): Promise<void> {
    await this.perEmail.delete(emailKey(email));
  }
}

function emailKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}
