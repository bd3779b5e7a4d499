import type Redis from 'ioredis';

export type IntentKind = 'sms' | 'email' | 'coupon' | 'opt-out' | 'inbound-sms' | 'sms-status';

/** Who an intent belongs to: the tenant, a key that makes it once-only (no `:`), and the call or message it came from. */
export interface IntentSource {
  tenant: string;
  idempotencyKey: string;
  callSid?: string;
  messageSid?: string;
}

const RECORD_TTL_SECONDS = 7 * 24 * 3600;

const recordIntentScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then
  redis.call('RPUSH', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[2])
  return 1
end
return 0`;

type OutboxClient = Redis & { rfRecordIntent(k1: string, k2: string, details: string, ttl: number, entry: string): Promise<number> };

export function intentKey(tenantId: string, idempotencyKey: string): string {
  return `rf:{${tenantId}}:intent:${idempotencyKey}`;
}

export function intentListKey(tenantId: string): string {
  return `rf:{${tenantId}}:intents`;
}

/** An entry of a tenant's intent list: ids only, so the list can be logged and moved around freely. */
export interface IntentEntry {
  kind: IntentKind;
  tenantId: string;
  idempotencyKey: string;
  callSid?: string;
  messageSid?: string;
}

/**
 * Where the flow's messaging, coupon and opt-out nodes (and inbound SMS) leave what they asked for, for the
 * workers that will act on it (none consumes it yet). Each intent is recorded once per idempotency
 * key: a replayed step adds nothing. Details (recipient, text) stay in a tenant-keyed record with a
 * TTL; the list entry carries ids only. Until a worker drains it, the list expires 7 days after its last intent.
 */
export class IntentOutbox {
  private readonly redis: OutboxClient;

  constructor(redis: Redis) {
    this.redis = redis as OutboxClient;
    if (typeof this.redis.rfRecordIntent !== 'function') redis.defineCommand('rfRecordIntent', { numberOfKeys: 2, lua: recordIntentScript });
  }

  /** True when recorded now, false when this idempotency key was already recorded. */
  async record(kind: IntentKind, source: IntentSource, details: Record<string, unknown>): Promise<boolean> {
    const entry: IntentEntry = {
      kind, tenantId: source.tenant, idempotencyKey: source.idempotencyKey,
      ...(source.callSid ? { callSid: source.callSid } : {}), ...(source.messageSid ? { messageSid: source.messageSid } : {}),
    };
    const created = await this.redis.rfRecordIntent(
      intentKey(source.tenant, source.idempotencyKey), intentListKey(source.tenant),
      JSON.stringify({ ...entry, details, at: new Date().toISOString() }), RECORD_TTL_SECONDS, JSON.stringify(entry),
    );
    return created === 1;
  }
}
