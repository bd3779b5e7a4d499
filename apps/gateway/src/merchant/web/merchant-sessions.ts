import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import type { MerchantSignIn } from '@ringflow/campaign';

/** A browser session of the merchant page: the CSRF token of its forms and, once signed in, who for which merchant. */
export interface MerchantSession {
  /** The cookie's value: `<tenant id or anon>.<secret>`; Redis keeps only a hash of the secret. */
  cookie: string;
  csrf: string;
  signedIn?: MerchantSignIn;
}

interface Stored {
  csrf: string;
  signedIn?: MerchantSignIn;
  createdAt: number;
}

const ANONYMOUS_TTL_SECONDS = 15 * 60;
const IDLE_TTL_SECONDS = 30 * 60;
const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
const COOKIE_VALUE = /^(anon|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([\w-]{43})$/;

function token(): string {
  return randomBytes(32).toString('base64url');
}

/** Redis key of a session; it carries the tenant once one is signed in. */
function keyOf(cookie: string): string | undefined {
  const match = COOKIE_VALUE.exec(cookie);
  if (!match) return undefined;
  return `rf:merchant-session:${match[1]}:${createHash('sha256').update(match[2]).digest('base64url')}`;
}

/** Synchronizer-token check in constant time. */
export function csrfMatches(session: MerchantSession, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(session.csrf), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Merchant page sessions in Redis: anonymous ones carry the sign-in form's CSRF token; sign-in always starts a new one. */
@Injectable()
export class MerchantSessions {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async startAnonymous(): Promise<MerchantSession> {
    return this.save(`anon.${token()}`, { csrf: token(), createdAt: Date.now() }, ANONYMOUS_TTL_SECONDS);
  }

  /** A new session id and CSRF token for the signed-in user (no fixation); the previous session ends. */
  async signIn(previous: MerchantSession | undefined, who: MerchantSignIn): Promise<MerchantSession> {
    if (previous) await this.end(previous);
    return this.save(`${who.tenantId}.${token()}`, { csrf: token(), signedIn: who, createdAt: Date.now() }, IDLE_TTL_SECONDS);
  }

  async load(cookie: string | undefined): Promise<MerchantSession | undefined> {
    const key = cookie === undefined ? undefined : keyOf(cookie);
    if (!key) return undefined;
    const raw = await this.redis.get(key);
    if (!raw) return undefined;
    const stored = JSON.parse(raw) as Stored;
    if (stored.signedIn) {
      if (Date.now() - stored.createdAt > ABSOLUTE_LIFETIME_MS) {
        await this.redis.del(key);
        return undefined;
      }
      await this.redis.expire(key, IDLE_TTL_SECONDS);
    }
    return { cookie: cookie!, csrf: stored.csrf, signedIn: stored.signedIn };
  }

  async end(session: MerchantSession): Promise<void> {
    const key = keyOf(session.cookie);
    if (key) await this.redis.del(key);
  }

  private async save(cookie: string, stored: Stored, ttlSeconds: number): Promise<MerchantSession> {
    await this.redis.set(keyOf(cookie)!, JSON.stringify(stored), 'EX', ttlSeconds);
    return { cookie, csrf: stored.csrf, signedIn: stored.signedIn };
  }
}
