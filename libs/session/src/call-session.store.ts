import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { CallSession, StoredSession } from './call-session';
import { activeCallsKey, sessionKey, stepLockKey } from './session-keys';
import { sessionLimits } from './session-limits';
import { createSessionScript, lockAndLoadScript, releaseLockScript, replaceSessionAndUnlockScript, replaceSessionScript } from './session-scripts';
import { SessionException } from './session.exception';

/** How long a session lives without a write (Twilio ends a call after 4 hours at most), and after its call ended. */
export const sessionTtlSeconds = { active: 5 * 3600, ended: 15 * 60 } as const;

type ScriptClient = Redis & {
  rfSessionCreate(k1: string, k2: string, doc: string, ttl: number, startedAt: number, callSid: string): Promise<number>;
  rfSessionReplace(k1: string, k2: string, expected: number, doc: string, ttl: number, active: string, startedAt: number, callSid: string): Promise<number>;
  rfSessionReplaceUnlock(
    k1: string, k2: string, k3: string, expected: number, doc: string, ttl: number, active: string, startedAt: number, callSid: string, token: string,
    answer: string,
  ): Promise<number>;
  rfLockAndLoad(lockKey: string, sessionKey: string, token: string, ttlMs: number): Promise<[string | null, string | null] | null>;
  rfReleaseLock(key: string, token: string): Promise<number>;
};

/** A call's step lock, taken together with a read of its session (one Redis round trip). */
export interface StepLock {
  /** The session as read under the lock; undefined when the call has none. */
  readonly stored: StoredSession | undefined;
  /**
   * Like `CallSessionStore.replace`; on success the lock is released in the same round trip. `answerTwiml`, when given,
   * is stored beside the session in the same write, as what `lastAnswerTwiml` returns until the next answer.
   */
  replaceAndRelease(expected: number, next: CallSession, answerTwiml?: string): Promise<number | 'conflict' | 'gone'>;
  /** The TwiML of the session's last answer (to replay a duplicate webhook); undefined when it has none. */
  lastAnswerTwiml(): Promise<string | undefined>;
  /** Releases the lock if it is still held by this step (a no-op after a successful `replaceAndRelease`). */
  release(): Promise<void>;
}

function withScripts(redis: Redis): ScriptClient {
  const client = redis as ScriptClient;
  if (typeof client.rfSessionReplace !== 'function') {
    redis.defineCommand('rfSessionCreate', { numberOfKeys: 2, lua: createSessionScript });
    redis.defineCommand('rfSessionReplace', { numberOfKeys: 2, lua: replaceSessionScript });
    redis.defineCommand('rfSessionReplaceUnlock', { numberOfKeys: 3, lua: replaceSessionAndUnlockScript });
    redis.defineCommand('rfLockAndLoad', { numberOfKeys: 2, lua: lockAndLoadScript });
    redis.defineCommand('rfReleaseLock', { numberOfKeys: 1, lua: releaseLockScript });
  }
  return client;
}

function parsed(version: string | null, doc: string | null): StoredSession | undefined {
  if (version === null || doc === null) return undefined;
  return { session: JSON.parse(doc) as CallSession, version: Number(version) };
}

function serialise(session: CallSession): string {
  const doc = JSON.stringify(session);
  if (Buffer.byteLength(doc) > sessionLimits.sessionBytes) {
    throw new SessionException('too-large', `session of call ${session.callSid} would exceed ${sessionLimits.sessionBytes} bytes`);
  }
  return doc;
}

function replaceOutcome(result: number): number | 'conflict' | 'gone' {
  return result === -1 ? 'gone' : result === -2 ? 'conflict' : result;
}

/**
 * Live call sessions in Redis, one hash per call (`v` = version, `doc` = JSON, `ans` = the last answer's TwiML), with an
 * active-call index per tenant.
 */
export class CallSessionStore {
  private readonly redis: ScriptClient;

  constructor(redis: Redis) {
    this.redis = withScripts(redis);
  }

  async load(tenantId: string, callSid: string): Promise<StoredSession | undefined> {
    const [version, doc] = await this.redis.hmget(sessionKey(tenantId, callSid), 'v', 'doc');
    return parsed(version, doc);
  }

  /** The TwiML the call's last step answered (stored beside the session by `StepLock.replaceAndRelease`). */
  async lastAnswerTwiml(tenantId: string, callSid: string): Promise<string | undefined> {
    const [answer, doc] = await this.redis.hmget(sessionKey(tenantId, callSid), 'ans', 'doc');
    if (answer !== null) return answer;
    // A session saved before the answer moved beside it keeps it in its document.
    return doc === null ? undefined : ((JSON.parse(doc) as CallSession).lastAnswer?.twiml ?? undefined);
  }

  /** Stores a new session; undefined when the call already has one (a concurrent first webhook). */
  async create(session: CallSession): Promise<StoredSession | undefined> {
    const created = await this.redis.rfSessionCreate(
      sessionKey(session.tenantId, session.callSid), activeCallsKey(session.tenantId),
      serialise(session), sessionTtlSeconds.active, Date.parse(session.startedAt), session.callSid,
    );
    return created === 1 ? { session, version: 1 } : undefined;
  }

  /** Writes `next` if the stored version is still `expected`; returns the new version, or 'conflict' / 'gone'. */
  async replace(expected: number, next: CallSession): Promise<number | 'conflict' | 'gone'> {
    const ended = next.endedAt !== null;
    const result = await this.redis.rfSessionReplace(
      sessionKey(next.tenantId, next.callSid), activeCallsKey(next.tenantId), expected, serialise(next),
      ended ? sessionTtlSeconds.ended : sessionTtlSeconds.active, ended ? '0' : '1', Date.parse(next.startedAt), next.callSid,
    );
    return replaceOutcome(result);
  }

  /**
   * Read-modify-write with optimistic concurrency. With `ifMatch`, a version other than it is a
   * precondition failure; without, a concurrent write makes it try again on the fresh session.
   */
  async update(tenantId: string, callSid: string, change: (session: CallSession) => CallSession, ifMatch?: number): Promise<StoredSession> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const stored = await this.load(tenantId, callSid);
      if (!stored) throw new SessionException('not-found', `call ${callSid} not found`, 'callSid');
      if (ifMatch !== undefined && stored.version !== ifMatch) {
        throw new SessionException('precondition-failed', `the session is at version ${stored.version}, not ${ifMatch}`, 'If-Match');
      }
      const next = change(stored.session);
      const result = await this.replace(stored.version, next);
      if (result === 'gone') throw new SessionException('not-found', `call ${callSid} not found`, 'callSid');
      if (result !== 'conflict') return { session: next, version: result };
    }
    throw new SessionException('conflict', `the session of call ${callSid} kept changing; try again`);
  }

  /** The tenant's active calls, oldest first; index entries whose session expired are dropped. */
  async listActive(tenantId: string, limit = 500): Promise<StoredSession[]> {
    const index = activeCallsKey(tenantId);
    const sids = await this.redis.zrange(index, '0', String(limit - 1));
    if (sids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const sid of sids) pipeline.hmget(sessionKey(tenantId, sid), 'v', 'doc');
    const replies = (await pipeline.exec()) ?? [];
    const out: StoredSession[] = [];
    const stale: string[] = [];
    replies.forEach(([error, reply], i) => {
      const [version, doc] = (reply ?? [null, null]) as [string | null, string | null];
      if (error || version === null || doc === null) stale.push(sids[i]);
      else out.push({ session: JSON.parse(doc) as CallSession, version: Number(version) });
    });
    if (stale.length > 0) await this.redis.zrem(index, ...stale);
    return out;
  }

  /** A short lock so that one call's steps run one at a time, across gateway replicas. Returns a release function, or undefined when held. */
  async tryLock(tenantId: string, callSid: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
    const key = stepLockKey(tenantId, callSid);
    const token = randomUUID();
    const taken = await this.redis.set(key, token, 'PX', ttlMs, 'NX');
    if (taken !== 'OK') return undefined;
    return async () => void (await this.redis.rfReleaseLock(key, token));
  }

  /**
   * Takes the call's step lock (as `tryLock`) and reads its session in the same round trip; undefined when another
   * step holds the lock. Every path must end in `release()` (or a successful `replaceAndRelease`).
   */
  async lockAndLoad(tenantId: string, callSid: string, ttlMs: number): Promise<StepLock | undefined> {
    const lockKey = stepLockKey(tenantId, callSid);
    const token = randomUUID();
    const reply = await this.redis.rfLockAndLoad(lockKey, sessionKey(tenantId, callSid), token, ttlMs);
    if (reply === null) return undefined;
    let held = true;
    return {
      stored: parsed(reply[0], reply[1]),
      replaceAndRelease: async (expected, next, answerTwiml) => {
        const ended = next.endedAt !== null;
        const result = replaceOutcome(await this.redis.rfSessionReplaceUnlock(
          sessionKey(next.tenantId, next.callSid), activeCallsKey(next.tenantId), lockKey, expected, serialise(next),
          ended ? sessionTtlSeconds.ended : sessionTtlSeconds.active, ended ? '0' : '1', Date.parse(next.startedAt), next.callSid, token,
          answerTwiml ?? '',
        ));
        if (typeof result === 'number') held = false;
        return result;
      },
      lastAnswerTwiml: () => this.lastAnswerTwiml(tenantId, callSid),
      release: async () => {
        if (!held) return;
        held = false;
        await this.redis.rfReleaseLock(lockKey, token);
      },
    };
  }
}
