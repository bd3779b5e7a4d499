import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { initialState, validateFlow, type Flow } from '@ringflow/flow';
import { AuditEntryEntity, TenantDatabase, TenantEntity, TenantsService, type TenantId } from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import { callRecordOf } from '../call-record';
import { CallRecordOutbox, pendingCallRecordKey, pendingCallRecordsKey } from '../call-record-outbox';
import { CallRecordsRepository } from '../call-records.repository';
import type { CallSession } from '../call-session';

const flow = (validateFlow({ schemaVersion: 1, name: 'f', start: 'a', nodes: { a: { type: 'say', text: 'hi', next: 'z' }, z: { type: 'hangup' } } }) as { flow: Flow }).flow;
const CARD = '4111111111111111';
const sid = () => `CA${randomBytes(16).toString('hex')}`;

/** A session that took a path, holds card digits in `sensitive` and a credential-like variable. */
function sessionOf(tenantId: string, callSid: string): CallSession {
  const now = new Date().toISOString();
  const state = { ...initialState(flow), path: ['a', 'card', 'z'], sensitive: { card: { digits: CARD } }, vars: { crmToken: 'secret-token', tier: 'gold' } };
  return {
    tenantId, callSid, flowId: randomUUID(), flowVersion: 1,
    system: { caller: '+15551230001', called: '+15559870000', callSid, direction: 'inbound', tenant: tenantId },
    state, pendingVars: {}, seq: 3, lastAnswer: null, hold: null, startedAt: now, updatedAt: now, endedAt: null,
  };
}

const end = (callSid: string) => ({ callSid, from: '+15551230001', to: '+15559870000', direction: 'inbound' as const, outcome: 'completed', durationSeconds: 30, endedAt: new Date() });

describe('call records that wait in Redis while Postgres is away', () => {
  let redis: Redis;
  let database: TestDatabase;
  let live: DataSource;
  let gone: DataSource;
  let up: CallRecordOutbox;
  let down: CallRecordOutbox;
  let records: CallRecordsRepository;
  let a: TenantId;
  let b: TenantId;

  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    database = await createTestDatabase();
    live = await new DataSource({ type: 'postgres', url: database.appUrl, entities: [TenantEntity, AuditEntryEntity], poolSize: 2 }).initialize();
    // A real connection pool that has gone away: every query through it fails, as when Postgres is down.
    gone = await new DataSource({ type: 'postgres', url: database.appUrl, entities: [TenantEntity, AuditEntryEntity], poolSize: 1 }).initialize();
    await gone.destroy();
    const tenants = new TenantsService(new TenantDatabase(live));
    a = (await tenants.create({ name: 'A' }, 'operator')).id as TenantId;
    b = (await tenants.create({ name: 'B' }, 'operator')).id as TenantId;
    records = new CallRecordsRepository(new TenantDatabase(live));
    up = new CallRecordOutbox(redis, records);
    down = new CallRecordOutbox(redis, new CallRecordsRepository(new TenantDatabase(gone)));
  });
  afterAll(async () => {
    for (const t of [a, b]) {
      const keys = await redis.keys(`rf:{${t}}:call-record*`);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
    await live.destroy();
    await database.drop();
  });

  it('keeps a refused record without sensitive values, then writes that one (not a poorer later one) exactly once', async () => {
    const callSid = sid();
    const refused = await down.write(a, callRecordOf(end(callSid), sessionOf(a, callSid)));
    expect(refused.result).toBe('pending');
    expect(refused.error).toEqual(expect.any(String));
    const kept = await redis.get(pendingCallRecordKey(a, callSid));
    expect(kept).not.toContain(CARD);
    expect(kept).not.toContain('secret-token');
    expect(await up.pendingCount(a)).toBe(1);

    // A late callback after the session expired knows no path; the waiting record is the one written.
    expect(await up.write(a, callRecordOf(end(callSid), undefined))).toEqual({ result: 'written' });
    expect(await records.find(a, callSid)).toMatchObject({ nodePath: ['a', 'card', 'z'], variables: { crmToken: '[redacted]', tier: 'gold' } });
    expect(await up.pendingCount(a)).toBe(0);
    expect(await redis.exists(pendingCallRecordKey(a, callSid))).toBe(0);
    expect(await up.write(a, callRecordOf(end(callSid), undefined))).toEqual({ result: 'already-written' });
  });

  it('drains a tenant’s waiting records once Postgres is back, and only that tenant’s', async () => {
    const [one, two, other] = [sid(), sid(), sid()];
    await down.write(a, callRecordOf(end(one), sessionOf(a, one)));
    await down.write(a, callRecordOf(end(two), sessionOf(a, two)));
    await down.write(b, callRecordOf(end(other), sessionOf(b, other)));

    const still = await down.drain(a);
    expect(still).toMatchObject({ written: 0, alreadyWritten: 0, error: expect.any(String) });
    expect(await up.pendingCount(a)).toBe(2);

    expect(await up.drain(a)).toEqual({ written: 2, alreadyWritten: 0, expired: [] });
    expect(await up.drain(a)).toEqual({ written: 0, alreadyWritten: 0, expired: [] });
    expect(await records.find(a, one)).toMatchObject({ outcome: 'completed', nodePath: ['a', 'card', 'z'] });
    expect(await records.find(a, other)).toBeUndefined();
    expect(await up.pendingCount(b)).toBe(1);
    expect(await up.drain(b)).toMatchObject({ written: 1 });
  });

  it('reports a record that expired while waiting, and forgets it', async () => {
    const callSid = sid();
    await down.write(a, callRecordOf(end(callSid), sessionOf(a, callSid)));
    await redis.del(pendingCallRecordKey(a, callSid));
    expect(await redis.zscore(pendingCallRecordsKey(a), callSid)).not.toBeNull();
    expect(await up.drain(a)).toEqual({ written: 0, alreadyWritten: 0, expired: [callSid] });
    expect(await up.pendingCount(a)).toBe(0);
  });
});
