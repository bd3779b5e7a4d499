import type Redis from 'ioredis';
import type { TenantId } from '@ringflow/tenancy';
import type { CallRecord } from './call-record';
import type { CallRecordsRepository } from './call-records.repository';

// A call record Postgres refused waits in Redis under the tenant's hash tag (one cluster slot, so the record and the
// tenant's pending index change together in one MULTI): the record itself, and an index of pending call SIDs.

/** The record of one call waiting to be written. */
export function pendingCallRecordKey(tenantId: string, callSid: string): string {
  return `rf:{${tenantId}}:call-record:${callSid}:pending`;
}

/** The tenant's call SIDs whose record waits, scored by when it was first kept. */
export function pendingCallRecordsKey(tenantId: string): string {
  return `rf:{${tenantId}}:call-records:pending`;
}

/** How long a record may wait for Postgres before it is given up (and logged as lost). */
export const pendingCallRecordTtlSeconds = 7 * 24 * 3600;

export type CallRecordWrite = 'written' | 'already-written' | 'pending';

export interface DrainResult {
  written: number;
  alreadyWritten: number;
  /** Call SIDs whose record expired before Postgres took it. */
  expired: string[];
  /** Set when Postgres refused again; the records stay pending. */
  error?: string;
}

type StoredRecord = Omit<CallRecord, 'startedAt' | 'endedAt'> & { startedAt: string | null; endedAt: string };

function revive(doc: string): CallRecord {
  const stored = JSON.parse(doc) as StoredRecord;
  return { ...stored, startedAt: stored.startedAt === null ? null : new Date(stored.startedAt), endedAt: new Date(stored.endedAt) };
}

/**
 * Writes call records exactly once even when Postgres is away: a record Postgres refuses is kept in Redis and
 * written later by `drain` (the call sweeper runs it), once, since the table is keyed by (tenant_id, call_sid).
 * Only what `callRecordOf` produced is kept: numbers, times, outcome, node path, publishable variables — never
 * the session's sensitive digits.
 */
export class CallRecordOutbox {
  constructor(
    private readonly redis: Redis,
    private readonly records: CallRecordsRepository,
  ) {}

  /**
   * Writes the call's record, or keeps it for later when Postgres refuses it ('pending', with Postgres's error).
   * A record already waiting for this call is the one written (it was made while the session still had the
   * call's path). Throws only when neither Postgres nor Redis took it.
   */
  async write(tenantId: TenantId, record: CallRecord): Promise<{ result: CallRecordWrite; error?: string }> {
    const waiting = await this.redis.get(pendingCallRecordKey(tenantId, record.callSid));
    let written: boolean;
    try {
      written = await this.records.writeOnce(tenantId, waiting === null ? record : revive(waiting));
    } catch (error) {
      if (waiting === null) await this.keep(tenantId, record);
      return { result: 'pending', error: error instanceof Error ? error.message : String(error) };
    }
    if (waiting !== null) await this.settle(tenantId, record.callSid);
    return { result: written ? 'written' : 'already-written' };
  }

  /** How many of the tenant's records wait. */
  async pendingCount(tenantId: TenantId): Promise<number> {
    return this.redis.zcard(pendingCallRecordsKey(tenantId));
  }

  /** Writes up to `limit` of the tenant's waiting records, oldest first; stops at the first refusal. */
  async drain(tenantId: TenantId, limit = 100): Promise<DrainResult> {
    const result: DrainResult = { written: 0, alreadyWritten: 0, expired: [] };
    const sids = await this.redis.zrange(pendingCallRecordsKey(tenantId), '0', String(limit - 1));
    for (const callSid of sids) {
      const doc = await this.redis.get(pendingCallRecordKey(tenantId, callSid));
      if (doc === null) {
        result.expired.push(callSid);
        await this.redis.zrem(pendingCallRecordsKey(tenantId), callSid);
        continue;
      }
      try {
        if (await this.records.writeOnce(tenantId, revive(doc))) result.written++;
        else result.alreadyWritten++;
      } catch (error) {
        result.error = error instanceof Error ? error.message : String(error);
        return result;
      }
      await this.settle(tenantId, callSid);
    }
    return result;
  }

  private async keep(tenantId: TenantId, record: CallRecord): Promise<void> {
    await this.redis
      .multi()
      .set(pendingCallRecordKey(tenantId, record.callSid), JSON.stringify(record), 'EX', pendingCallRecordTtlSeconds, 'NX')
      .zadd(pendingCallRecordsKey(tenantId), 'NX', Date.now(), record.callSid)
      .expire(pendingCallRecordsKey(tenantId), pendingCallRecordTtlSeconds)
      .exec();
  }

  private async settle(tenantId: TenantId, callSid: string): Promise<void> {
    await this.redis.multi().del(pendingCallRecordKey(tenantId, callSid)).zrem(pendingCallRecordsKey(tenantId), callSid).exec();
  }
}
