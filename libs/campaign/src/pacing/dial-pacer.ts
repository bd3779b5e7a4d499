import type { Result } from 'ioredis';
import type Redis from 'ioredis';
import { DIAL_PACER_LUA, DIAL_SETTLE_LUA } from './dial-pacer.lua';

export interface PaceLimits {
  callsPerSecond: number;
  maxConcurrentCalls: number;
}

export type PaceDecision =
  | { kind: 'go' }
  /** Come back after `ms`; `reserved` says a slot is held for this dial at that time. */
  | { kind: 'wait'; ms: number; reserved: boolean; reason: 'slot' | 'later' | 'guard' | 'busy' };

export interface DialPacerOptions {
  /** Namespace of the pacing keys; tests give each file its own. Default `ringflow`. */
  namespace?: string;
  /**
   * Slack added to the spacing of reserved slots (1000 + guardMs) / cps, so that a dial's own request
   * time rarely meets the hard one-second guard. Costs guardMs/1000 of the rate. Default 25.
   */
  guardMs?: number;
  /**
   * true (default): a dial counts against the second from its admission until Twilio's answer is back,
   * so no one-second window at Twilio ever holds more than cps, at a cost of about latency/(1000+latency)
   * of the rate. false: it counts from its admission only (full rate; a request delayed in transit more
   * than guardMs can meet the next second's dials at Twilio).
   */
  strict?: boolean;
  /** How far ahead a slot may be reserved; past it a dial comes back later without one. */
  horizonMs?: number;
  /** How long an in-flight lease lives if its outcome never arrives. */
  leaseMs?: number;
  /** How long to wait when the concurrency cap is reached (jittered up to twice this). */
  busyRetryMs?: number;
}

/**
 * Calls-per-second and concurrent-call limits per tenant and per campaign that hold across any number
 * of worker processes: spacing by reserved slots (GCRA), a sliding one-second log as the hard guard, and
 * in-flight leases released when the call's outcome is recorded. Fair across tenants: each has its own state.
 */
export class DialPacer {
  private readonly namespace: string;
  private readonly windowMs: number;
  private readonly horizonMs: number;
  private readonly leaseMs: number;
  private readonly busyRetryMs: number;
  private readonly strict: boolean;

  constructor(
    private readonly redis: Redis,
    options: DialPacerOptions = {},
  ) {
    this.namespace = options.namespace ?? 'ringflow';
    this.windowMs = 1000 + (options.guardMs ?? 25);
    this.horizonMs = options.horizonMs ?? 2000;
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.busyRetryMs = options.busyRetryMs ?? 250;
    this.strict = options.strict ?? true;
    if (!this.redis.dialPace) this.redis.defineCommand('dialPace', { numberOfKeys: 6, lua: DIAL_PACER_LUA });
    if (!this.redis.dialSettle) this.redis.defineCommand('dialSettle', { numberOfKeys: 2, lua: DIAL_SETTLE_LUA });
  }

  private key(tenantId: string, ...rest: string[]): string {
    return [this.namespace, `{t-${tenantId}}`, 'pace', ...rest].join(':');
  }

  /** One pacing decision for the dial `attemptKey` of a campaign. */
  async acquire(input: {
    tenantId: string;
    campaignId: string;
    attemptKey: string;
    tenant: PaceLimits;
    campaign: PaceLimits;
    reserved: boolean;
  }): Promise<PaceDecision> {
    const { tenantId, campaignId } = input;
    const [verdict, ms] = (await this.redis.dialPace(
      this.key(tenantId, 'tat'),
      this.key(tenantId, 'c', campaignId, 'tat'),
      this.key(tenantId, 'log'),
      this.key(tenantId, 'c', campaignId, 'log'),
      this.key(tenantId, 'in-flight'),
      this.key(tenantId, 'c', campaignId, 'in-flight'),
      input.tenant.callsPerSecond,
      input.campaign.callsPerSecond,
      this.windowMs,
      this.horizonMs,
      input.tenant.maxConcurrentCalls,
      input.campaign.maxConcurrentCalls,
      input.attemptKey,
      this.leaseMs,
      input.reserved ? '1' : '0',
      1000,
      this.strict ? '1' : '0',
    )) as [string, number];
    switch (verdict) {
      case 'go':
        return { kind: 'go' };
      case 'slot':
        return { kind: 'wait', ms: Number(ms), reserved: true, reason: 'slot' };
      case 'guard':
        return { kind: 'wait', ms: Number(ms), reserved: input.reserved, reason: 'guard' };
      case 'later':
        return { kind: 'wait', ms: Number(ms) + Math.floor(Math.random() * this.horizonMs), reserved: false, reason: 'later' };
      default:
        return { kind: 'wait', ms: this.busyRetryMs + Math.floor(Math.random() * this.busyRetryMs), reserved: false, reason: 'busy' };
    }
  }

  /**
   * Twilio answered the dial's request (or it failed): `mayExist` false when Twilio refused it, so it
   * leaves the dial logs; otherwise it counts from now, when its request is known to have arrived.
   */
  async settle(tenantId: string, campaignId: string, attemptKey: string, mayExist: boolean): Promise<void> {
    await this.redis.dialSettle(this.key(tenantId, 'log'), this.key(tenantId, 'c', campaignId, 'log'), attemptKey, mayExist ? '1' : '0', this.strict ? '1' : '0');
  }

  /** Frees the dial's in-flight lease (its call ended, or was never placed). Safe to repeat. */
  async release(tenantId: string, campaignId: string, attemptKey: string): Promise<void> {
    await this.redis.multi().zrem(this.key(tenantId, 'in-flight'), attemptKey).zrem(this.key(tenantId, 'c', campaignId, 'in-flight'), attemptKey).exec();
  }

  /** Calls the tenant has in flight now. */
  async inFlight(tenantId: string): Promise<number> {
    await this.redis.zremrangebyscore(this.key(tenantId, 'in-flight'), '-inf', Date.now());
    return this.redis.zcard(this.key(tenantId, 'in-flight'));
  }
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    dialPace(...args: Array<string | number>): Result<unknown, Context>;
    dialSettle(...args: Array<string | number>): Result<unknown, Context>;
  }
}
