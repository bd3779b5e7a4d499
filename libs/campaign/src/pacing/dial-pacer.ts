import type { Result } from 'ioredis';
import type Redis from 'ioredis';
import { DIAL_ADMIT_LUA, DIAL_RESERVE_LUA, DIAL_SETTLE_LUA, PENDING_OFFSET_MS } from './dial-pacer.lua';

export interface PaceLimits {
  callsPerSecond: number;
  maxConcurrentCalls: number;
}

/** What the pacer answers a dial asking for its turn. */
export type PaceReservation =
  /** A slot is held for this dial (and a concurrency lease): send it `inMs` from now, through `admit`. */
  | { kind: 'slot'; inMs: number }
  /** Nothing held: come back after `ms` (booked beyond the horizon, or the concurrency cap is reached). */
  | { kind: 'wait'; ms: number; reason: 'later' | 'busy' };

export interface DialPacerOptions {
  /** Namespace of the pacing keys; tests give each file its own. Default `ringflow`. */
  namespace?: string;
  /** How far ahead a slot may be reserved; past it a dial comes back later without one. Default 2000. */
  horizonMs?: number;
  /** How long an in-flight lease lives if its outcome never arrives. */
  leaseMs?: number;
  /** How long to wait when the concurrency cap is reached (jittered up to twice this). */
  busyRetryMs?: number;
  /** The most slack (ms per second) the slots' spacing takes for request latency. Default 100. */
  maxSlackMs?: number;
}

interface Keys {
  tat: string;
  campaignTat: string;
  log: string;
  campaignLog: string;
  inFlight: string;
  campaignInFlight: string;
  reserved: string;
  latency: string;
}

/**
 * Calls-per-second and concurrent-call limits per tenant and per campaign that hold across any number
 * of worker processes (see dial-pacer.lua.ts for the window and why it holds):
 * 1. `reserve`: a slot ahead (GCRA spacing per tenant and per campaign) and an in-flight lease;
 * 2. `admit`, at the slot, just before the request: the hard guard, a sliding one-second log of dials
 *    counted from admission until Twilio's answer is back;
 * 3. `settle` when the answer is back; `release` when the call has ended (frees the lease).
 * Fair across tenants: each has its own state, and a slot is a dial's own, whoever asks first.
 */
export class DialPacer {
  private readonly namespace: string;
  private readonly horizonMs: number;
  private readonly leaseMs: number;
  private readonly busyRetryMs: number;
  private readonly maxSlackMs: number;

  constructor(
    private readonly redis: Redis,
    options: DialPacerOptions = {},
  ) {
    this.namespace = options.namespace ?? 'ringflow';
    this.horizonMs = options.horizonMs ?? 2000;
    this.leaseMs = options.leaseMs ?? 15 * 60_000;
    this.busyRetryMs = options.busyRetryMs ?? 250;
    this.maxSlackMs = options.maxSlackMs ?? 100;
    if (!this.redis.dialReserve) this.redis.defineCommand('dialReserve', { numberOfKeys: 6, lua: DIAL_RESERVE_LUA });
    if (!this.redis.dialAdmit) this.redis.defineCommand('dialAdmit', { numberOfKeys: 3, lua: DIAL_ADMIT_LUA });
    if (!this.redis.dialSettle) this.redis.defineCommand('dialSettle', { numberOfKeys: 3, lua: DIAL_SETTLE_LUA });
  }

  private keys(tenantId: string, campaignId: string): Keys {
    const key = (...rest: string[]) => [this.namespace, `{t-${tenantId}}`, 'pace', ...rest].join(':');
    return {
      tat: key('tat'),
      campaignTat: key('c', campaignId, 'tat'),
      log: key('log'),
      campaignLog: key('c', campaignId, 'log'),
      inFlight: key('in-flight'),
      campaignInFlight: key('c', campaignId, 'in-flight'),
      reserved: key('reserved'),
      latency: key('latency'),
    };
  }

  /** A slot (and a concurrency lease) for the dial `attemptKey`; asking again before `admit` answers the same slot. */
  async reserve(input: { tenantId: string; campaignId: string; attemptKey: string; tenant: PaceLimits; campaign: PaceLimits }): Promise<PaceReservation> {
    const k = this.keys(input.tenantId, input.campaignId);
    const [verdict, ms] = (await this.redis.dialReserve(
      k.tat, k.campaignTat, k.inFlight, k.campaignInFlight, k.reserved, k.latency,
      input.tenant.callsPerSecond, input.campaign.callsPerSecond, this.horizonMs,
      input.tenant.maxConcurrentCalls, input.campaign.maxConcurrentCalls, input.attemptKey, this.leaseMs, this.maxSlackMs,
    )) as [string, number, number];
    if (verdict === 'slot') return { kind: 'slot', inMs: Number(ms) };
    if (verdict === 'later') return { kind: 'wait', ms: Number(ms) + Math.floor(Math.random() * this.horizonMs), reason: 'later' };
    return { kind: 'wait', ms: this.busyRetryMs + Math.floor(Math.random() * this.busyRetryMs), reason: 'busy' };
  }

  /**
   * The hard guard, at the dial's slot: resolves once the dial may be sent now (it is then counted as on its
   * way to Twilio), waiting while the last second already holds the CPS. Resolves false, admitting nothing,
   * when that would take longer than `maxWaitMs`.
   */
  async admit(input: { tenantId: string; campaignId: string; attemptKey: string; tenant: PaceLimits; campaign: PaceLimits }, maxWaitMs = 2000): Promise<boolean> {
    const k = this.keys(input.tenantId, input.campaignId);
    const until = Date.now() + maxWaitMs;
    for (;;) {
      const [verdict, ms] = (await this.redis.dialAdmit(
        k.log, k.campaignLog, k.reserved, input.tenant.callsPerSecond, input.campaign.callsPerSecond, input.attemptKey, 1000, PENDING_OFFSET_MS,
      )) as [string, number];
      if (verdict === 'go') return true;
      if (Date.now() + Number(ms) > until) return false;
      await sleep(Number(ms));
    }
  }

  /**
   * Twilio answered the dial's request (or it failed): `mayExist` false when Twilio refused it, so it
   * leaves the dial logs; otherwise it counts from now, when its request is known to have arrived.
   */
  async settle(tenantId: string, campaignId: string, attemptKey: string, mayExist: boolean): Promise<void> {
    const k = this.keys(tenantId, campaignId);
    await this.redis.dialSettle(k.log, k.campaignLog, k.latency, attemptKey, mayExist ? '1' : '0', PENDING_OFFSET_MS);
  }

  /** Frees the dial's slot and in-flight lease (its call ended, or was never placed). Safe to repeat. */
  async release(tenantId: string, campaignId: string, attemptKey: string): Promise<void> {
    const k = this.keys(tenantId, campaignId);
    await this.redis.multi().zrem(k.inFlight, attemptKey).zrem(k.campaignInFlight, attemptKey).zrem(k.reserved, attemptKey).exec();
  }

  /** Calls the tenant has in flight now. */
  async inFlight(tenantId: string): Promise<number> {
    const key = this.keys(tenantId, '-').inFlight;
    await this.redis.zremrangebyscore(key, '-inf', Date.now());
    return this.redis.zcard(key);
  }

  /**
   * How far ahead the dial slots of the tenant and of the campaign are already given out (ms from now on Redis's clock,
   * 0 when a dial asking now would get a slot now), and the slack the slots' spacing takes (ms per second): where the
   * next dials to queue should start, and how far apart.
   */
  async schedule(tenantId: string, campaignId: string): Promise<{ aheadMs: number; slackMs: number }> {
    const k = this.keys(tenantId, campaignId);
    const replies = (await this.redis.multi().time().get(k.tat).get(k.campaignTat).get(k.latency).exec()) ?? [];
    const [seconds, micros] = (replies[0]?.[1] ?? ['0', '0']) as [string, string];
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const tat = Math.max(Number(replies[1]?.[1] ?? 0), Number(replies[2]?.[1] ?? 0));
    return { aheadMs: Math.max(0, Math.ceil(tat - now)), slackMs: Math.min(Number(replies[3]?.[1] ?? 0), this.maxSlackMs) };
  }

  /** The tenant's request latency estimate (ms), which the slots' spacing allows for. */
  async latencyEstimate(tenantId: string): Promise<number> {
    return Number((await this.redis.get(this.keys(tenantId, '-').latency)) ?? 0);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

declare module 'ioredis' {
  interface RedisCommander<Context> {
    dialReserve(...args: Array<string | number>): Result<unknown, Context>;
    dialAdmit(...args: Array<string | number>): Result<unknown, Context>;
    dialSettle(...args: Array<string | number>): Result<unknown, Context>;
  }
}
