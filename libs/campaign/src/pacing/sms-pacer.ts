import { createHash } from 'node:crypto';
import type { Result } from 'ioredis';
import type Redis from 'ioredis';
import { SMS_PACER_LUA, SMS_SETTLE_LUA } from './sms-pacer.lua';

export type SmsPaceDecision = { kind: 'go' } | { kind: 'wait'; ms: number; reserved: boolean; reason: 'slot' | 'later' | 'guard' };

export interface SmsPacerOptions {
  /** Namespace of the pacing keys; tests give each file its own. Default `ringflow`. */
  namespace?: string;
  /** Slack added to the slot spacing, (1000 + guardMs) / mps. Default 25. */
  guardMs?: number;
  /** How far ahead a slot may be reserved. Default 2000. */
  horizonMs?: number;
}

/**
 * Messages per second per sender number, across any number of worker processes (the DialPacer design:
 * reserved slots plus a hard sliding one-second log on Redis's clock). The key holds the tenant's hash tag
 * and a digest of the sender number, never the number itself.
 */
export class SmsPacer {
  private readonly namespace: string;
  private readonly windowMs: number;
  private readonly horizonMs: number;

  constructor(
    private readonly redis: Redis,
    options: SmsPacerOptions = {},
  ) {
    this.namespace = options.namespace ?? 'ringflow';
    this.windowMs = 1000 + (options.guardMs ?? 25);
    this.horizonMs = options.horizonMs ?? 2000;
    if (!this.redis.smsPace) this.redis.defineCommand('smsPace', { numberOfKeys: 2, lua: SMS_PACER_LUA });
    if (!this.redis.smsSettle) this.redis.defineCommand('smsSettle', { numberOfKeys: 1, lua: SMS_SETTLE_LUA });
  }

  private key(tenantId: string, sender: string, what: 'tat' | 'log'): string {
    const digest = createHash('sha256').update(sender).digest('hex').slice(0, 16);
    return [this.namespace, `{t-${tenantId}}`, 'sms-pace', digest, what].join(':');
  }

  async acquire(input: { tenantId: string; sender: string; member: string; messagesPerSecond: number; reserved: boolean }): Promise<SmsPaceDecision> {
    const { tenantId, sender } = input;
    const [verdict, ms] = (await this.redis.smsPace(
      this.key(tenantId, sender, 'tat'),
      this.key(tenantId, sender, 'log'),
      input.messagesPerSecond,
      this.windowMs,
      this.horizonMs,
      input.member,
      input.reserved ? '1' : '0',
      1000,
    )) as [string, number];
    if (verdict === 'go') return { kind: 'go' };
    if (verdict === 'slot') return { kind: 'wait', ms: Number(ms), reserved: true, reason: 'slot' };
    if (verdict === 'guard') return { kind: 'wait', ms: Number(ms), reserved: input.reserved, reason: 'guard' };
    return { kind: 'wait', ms: Number(ms) + Math.floor(Math.random() * this.horizonMs), reserved: false, reason: 'later' };
  }

  /** Twilio's answer is back: the message counts from now, or (refused) not at all. */
  async settle(tenantId: string, sender: string, member: string, mayExist: boolean): Promise<void> {
    await this.redis.smsSettle(this.key(tenantId, sender, 'log'), member, mayExist ? '1' : '0');
  }
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    smsPace(...args: Array<string | number>): Result<unknown, Context>;
    smsSettle(...args: Array<string | number>): Result<unknown, Context>;
  }
}
