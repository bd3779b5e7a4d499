import { createHash } from 'node:crypto';
import type { Result } from 'ioredis';
import type Redis from 'ioredis';

/**
 * KEYS: 1 the sender's pace hash. ARGV: 1 "cut" | "grow", 2 ceiling, 3 floor, 4 step (grow), 5 idle ms (TTL).
 * A cut halves the pace at most once a second (one 429 spell is felt by many sends at once); a grow adds `step`.
 * Answers the pace after the change.
 */
const SENDER_PACE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ceiling, floor, step, idle = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local rate = tonumber(redis.call('HGET', KEYS[1], 'rate') or ceiling)
if ARGV[1] == 'cut' then
  local cutAt = tonumber(redis.call('HGET', KEYS[1], 'cut_at') or '0')
  if now - cutAt >= 1000 then
    rate = math.max(floor, rate / 2)
    redis.call('HSET', KEYS[1], 'rate', tostring(rate), 'cut_at', tostring(now))
  end
elseif rate < ceiling then
  rate = math.min(ceiling, rate + step)
  redis.call('HSET', KEYS[1], 'rate', tostring(rate))
end
redis.call('PEXPIRE', KEYS[1], idle)
return tostring(rate)
`;

export interface SenderPaceOptions {
  namespace: string;
  /** The most messages a second one sender number is given (and where a pace starts). */
  ceiling: number;
  /** The least it is cut to. Default 1. */
  floor?: number;
  /** Added per message Twilio takes. Default 0.25. */
  step?: number;
  /** A pace left alone this long is forgotten (back to the ceiling). Default 10 min. */
  idleMs?: number;
}

/**
 * How many messages a second worker-sms sends from one sender number, learnt from Twilio's answers across every
 * worker process (additive increase, multiplicative decrease): a 429 halves it, each accepted message raises it
 * a little, up to the ceiling. The key holds the tenant's hash tag and a digest of the number, never the number.
 */
export class SenderPace {
  private readonly floor: number;
  private readonly step: number;
  private readonly idleMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: SenderPaceOptions,
  ) {
    this.floor = options.floor ?? 1;
    this.step = options.step ?? 0.25;
    this.idleMs = options.idleMs ?? 600_000;
    if (!this.redis.smsSenderPace) this.redis.defineCommand('smsSenderPace', { numberOfKeys: 1, lua: SENDER_PACE_LUA });
  }

  private key(tenantId: string, sender: string): string {
    const digest = createHash('sha256').update(sender).digest('hex').slice(0, 16);
    return [this.options.namespace, `{t-${tenantId}}`, 'sms-sender-pace', digest].join(':');
  }

  /** The pace now, in messages a second. */
  async current(tenantId: string, sender: string): Promise<number> {
    const rate = Number(await this.redis.hget(this.key(tenantId, sender), 'rate'));
    return rate > 0 ? Math.min(rate, this.options.ceiling) : this.options.ceiling;
  }

  /** Twilio refused a message for the rate (429): slow down. */
  slowDown(tenantId: string, sender: string): Promise<number> {
    return this.change(tenantId, sender, 'cut');
  }

  /** Twilio took a message: speed up a little. */
  speedUp(tenantId: string, sender: string): Promise<number> {
    return this.change(tenantId, sender, 'grow');
  }

  private async change(tenantId: string, sender: string, how: 'cut' | 'grow'): Promise<number> {
    return Number(await this.redis.smsSenderPace(this.key(tenantId, sender), how, this.options.ceiling, this.floor, this.step, this.idleMs));
  }
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    smsSenderPace(...args: Array<string | number>): Result<unknown, Context>;
  }
}
