import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '@ringflow/database';
import type { TenantId } from '@ringflow/tenancy';
import type { ClaimResult, DeclineResult, EnqueueCaller, WaitingCaller, WaitState } from './waiting-caller';
import { addCallerScript, claimCallerScript, declineCallerScript, finishCallerScript } from './waiting-callers.lua';

/** Entries and codes outlive the wait by hours, so a late reply is still told what became of the caller. */
const TTL_SECONDS = 6 * 3600;

type Scripts = Redis & {
  rfPqAdd(...args: (string | number)[]): Promise<[number, number]>;
  rfPqClaim(...args: string[]): Promise<[string, string]>;
  rfPqDecline(...args: (string | number)[]): Promise<string>;
  rfPqFinish(...args: string[]): Promise<string>;
};

const prefix = (t: string) => `rf:{${t}}:pq`;
const entryKey = (t: string, callSid: string) => `${prefix(t)}:caller:${callSid}`;
const waitingKey = (t: string, queue: string) => `${prefix(t)}:waiting:${encodeURIComponent(queue)}`;
const codeKey = (t: string, code: number | string) => `${prefix(t)}:code:${code}`;

function callerOf(h: Record<string, string>): WaitingCaller | null {
  if (!h.callSid) return null;
  return {
    callSid: h.callSid, queue: h.queue, priority: Number(h.priority), code: Number(h.code), caller: h.caller, called: h.called,
    state: h.state as WaitState, agentId: h.agentId || null, agentPhone: h.agentPhone || null, enqueuedAt: h.enqueuedAt,
  };
}

/**
 * The callers waiting in a tenant's pull queues, in priority order (Twilio's `<Enqueue>` only knows arrival
 * order), with the one decision that must be atomic: the first YES takes the caller, every later one is told.
 */
@Injectable()
export class WaitingCallersStore {
  private readonly redis: Scripts;

  constructor(@Inject(REDIS) redis: Redis) {
    this.redis = redis as Scripts;
    if (typeof this.redis.rfPqAdd !== 'function') {
      redis.defineCommand('rfPqAdd', { numberOfKeys: 4, lua: addCallerScript });
      redis.defineCommand('rfPqClaim', { numberOfKeys: 2, lua: claimCallerScript });
      redis.defineCommand('rfPqDecline', { numberOfKeys: 4, lua: declineCallerScript });
      redis.defineCommand('rfPqFinish', { numberOfKeys: 2, lua: finishCallerScript });
    }
  }

  /** Adds a caller once per call (a replayed step changes nothing); `added` is false for a replay. */
  async add(tenantId: TenantId, c: EnqueueCaller): Promise<{ added: boolean; code: number }> {
    const t = tenantId;
    const [added, code] = await this.redis.rfPqAdd(
      entryKey(t, c.callSid), waitingKey(t, c.queue), `${prefix(t)}:codes`, `${prefix(t)}:seq`,
      c.callSid, c.queue, c.priority, c.caller, c.called, TTL_SECONDS, `${prefix(t)}:code:`, new Date().toISOString(),
    );
    if (added === -1) throw new Error(`tenant ${tenantId}: all 999 caller codes are in use`);
    return { added: added === 1, code };
  }

  async get(tenantId: TenantId, callSid: string): Promise<WaitingCaller | null> {
    return callerOf(await this.redis.hgetall(entryKey(tenantId, callSid)));
  }

  async byCode(tenantId: TenantId, code: number): Promise<WaitingCaller | null> {
    const callSid = await this.redis.get(codeKey(tenantId, code));
    return callSid ? this.get(tenantId, callSid) : null;
  }

  /** Callers still waiting in these queues, first to be offered first. */
  async waiting(tenantId: TenantId, queues: string[]): Promise<WaitingCaller[]> {
    const scored: { callSid: string; score: number }[] = [];
    for (const queue of queues) {
      const flat = await this.redis.zrangebyscore(waitingKey(tenantId, queue), '-inf', '+inf', 'WITHSCORES');
      for (let i = 0; i < flat.length; i += 2) scored.push({ callSid: flat[i], score: Number(flat[i + 1]) });
    }
    scored.sort((a, b) => a.score - b.score);
    const callers = await Promise.all(scored.map((s) => this.get(tenantId, s.callSid)));
    return callers.filter((c): c is WaitingCaller => c !== null && c.state === 'waiting');
  }

  /** Place in line (1 = next) among the callers of the same queue, in priority order; null when not waiting. */
  async position(tenantId: TenantId, caller: WaitingCaller): Promise<number | null> {
    const rank = await this.redis.zrank(waitingKey(tenantId, caller.queue), caller.callSid);
    return rank === null ? null : rank + 1;
  }

  async claim(tenantId: TenantId, caller: WaitingCaller, agent: { id: string; phone: string }): Promise<ClaimResult> {
    const [state, by] = await this.redis.rfPqClaim(entryKey(tenantId, caller.callSid), waitingKey(tenantId, caller.queue), caller.callSid, agent.id, agent.phone);
    const now = await this.get(tenantId, caller.callSid);
    if (state === 'taken-now' && now) return { kind: 'claimed', caller: now };
    return { kind: 'unavailable', state: state as Exclude<WaitState, 'waiting'> | 'gone', byAgentId: by || null, caller: now };
  }

  async decline(tenantId: TenantId, caller: WaitingCaller, agentId: string): Promise<DeclineResult> {
    const e = entryKey(tenantId, caller.callSid);
    const outcome = await this.redis.rfPqDecline(e, waitingKey(tenantId, caller.queue), `${e}:notified`, `${e}:declined`, caller.callSid, agentId, TTL_SECONDS);
    const now = await this.get(tenantId, caller.callSid);
    if ((outcome === 'declined' || outcome === 'all-declined') && now) return { kind: outcome, caller: now };
    return { kind: 'unavailable', state: outcome as Exclude<WaitState, 'waiting'> | 'gone', caller: now };
  }

  /** Ends a wait that is still on (timeout, hang-up); returns the state it was in, `gone` when unknown. */
  async finish(tenantId: TenantId, callSid: string, state: 'timeout' | 'hung-up' | 'voicemail'): Promise<WaitState | 'gone'> {
    const caller = await this.get(tenantId, callSid);
    if (!caller) return 'gone';
    return (await this.redis.rfPqFinish(entryKey(tenantId, callSid), waitingKey(tenantId, caller.queue), callSid, state)) as WaitState;
  }

  /** Agents offered this caller (before their SMS goes, so an early NO counts against the full list). */
  async markNotified(tenantId: TenantId, callSid: string, agentIds: string[]): Promise<void> {
    if (agentIds.length === 0) return;
    const key = `${entryKey(tenantId, callSid)}:notified`;
    await this.redis.multi().sadd(key, ...agentIds).expire(key, TTL_SECONDS).exec();
  }

  async unmarkNotified(tenantId: TenantId, callSid: string, agentId: string): Promise<void> {
    await this.redis.srem(`${entryKey(tenantId, callSid)}:notified`, agentId);
  }

  async notified(tenantId: TenantId, callSid: string): Promise<string[]> {
    return this.redis.smembers(`${entryKey(tenantId, callSid)}:notified`);
  }

  async declinedBy(tenantId: TenantId, callSid: string): Promise<string[]> {
    return this.redis.smembers(`${entryKey(tenantId, callSid)}:declined`);
  }
}
