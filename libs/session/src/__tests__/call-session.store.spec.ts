import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { initialState, validateFlow, type Flow } from '@ringflow/flow';
import { AuditEntryEntity, TenantDatabase, TenantEntity, TenantsService, type TenantId } from '@ringflow/tenancy';
import { createTestDatabase, type TestDatabase } from '@ringflow/testing';
import type { CallSession } from '../call-session';
import { callRecordOf } from '../call-record';
import { CallRecordsRepository } from '../call-records.repository';
import { CallSessionStore } from '../call-session.store';
import { sessionKey } from '../session-keys';
import { SessionVariablesService } from '../session-variables.service';

const flow = (validateFlow({ schemaVersion: 1, name: 'f', start: 'a', vars: { apiToken: 'tok' }, nodes: { a: { type: 'say', text: 'hi', next: 'z' }, z: { type: 'hangup' } } }) as { flow: Flow }).flow;
const sid = () => `CA${randomBytes(16).toString('hex')}`;

function newSession(tenantId: string, callSid = sid()): CallSession {
  const now = new Date().toISOString();
  return {
    tenantId, callSid, flowId: randomUUID(), flowVersion: 1,
    system: { caller: '+15551230001', called: '+15559870000', callSid, direction: 'inbound', tenant: tenantId },
    state: initialState(flow), pendingVars: {}, seq: 0, lastAnswer: null, hold: null, startedAt: now, updatedAt: now, endedAt: null,
  };
}

describe('call sessions in Redis', () => {
  let redis: Redis;
  let store: CallSessionStore;
  let database: TestDatabase;
  let dataSource: DataSource;
  let variables: SessionVariablesService;
  let records: CallRecordsRepository;
  let a: TenantId;
  let b: TenantId;

  beforeAll(async () => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    store = new CallSessionStore(redis);
    database = await createTestDatabase();
    dataSource = await new DataSource({ type: 'postgres', url: database.appUrl, entities: [TenantEntity, AuditEntryEntity], poolSize: 3 }).initialize();
    const db = new TenantDatabase(dataSource);
    const tenants = new TenantsService(db);
    a = (await tenants.create({ name: 'A' }, 'operator')).id as TenantId;
    b = (await tenants.create({ name: 'B' }, 'operator')).id as TenantId;
    variables = new SessionVariablesService(store, db);
    records = new CallRecordsRepository(db);
  });
  afterAll(async () => {
    await redis.quit();
    await dataSource.destroy();
    await database.drop();
  });

  it('keys a session by tenant (hash-tagged) and call, and creates it once', async () => {
    const s = newSession(a);
    expect(sessionKey(a, s.callSid)).toBe(`rf:{${a}}:call:${s.callSid}`);
    expect(await store.create(s)).toEqual({ session: s, version: 1 });
    expect(await store.create(s)).toBeUndefined();
    expect(await redis.ttl(sessionKey(a, s.callSid))).toBeGreaterThan(3600);
    expect(await store.load(b, s.callSid)).toBeUndefined();
  });

  it('refuses a write based on a stale version, and retries a read-modify-write on the fresh one', async () => {
    const s = newSession(a);
    await store.create(s);
    expect(await store.replace(1, { ...s, seq: 1 })).toBe(2);
    expect(await store.replace(1, { ...s, seq: 99 })).toBe('conflict');
    const updated = await store.update(a, s.callSid, (cur) => ({ ...cur, seq: cur.seq + 1 }));
    expect(updated.version).toBe(3);
    expect(updated.session.seq).toBe(2);
    await expect(store.update(a, s.callSid, (cur) => cur, 2)).rejects.toMatchObject({ code: 'precondition-failed' });
  });

  it('lists active calls per tenant and drops ended ones from the index', async () => {
    const one = newSession(a);
    const two = newSession(a);
    await store.create(one);
    await store.create(two);
    await store.create(newSession(b));
    const listed = (await store.listActive(a)).map((x) => x.session.callSid);
    expect(listed).toEqual(expect.arrayContaining([one.callSid, two.callSid]));
    expect((await store.listActive(b)).length).toBe(1);
    await store.update(a, one.callSid, (cur) => ({ ...cur, endedAt: new Date().toISOString() }));
    expect((await store.listActive(a)).map((x) => x.session.callSid)).not.toContain(one.callSid);
    expect(await redis.ttl(sessionKey(a, one.callSid))).toBeLessThanOrEqual(15 * 60);
  });

  it('lets one step at a time hold a call', async () => {
    const callSid = sid();
    const release = await store.tryLock(a, callSid, 5000);
    expect(release).toBeDefined();
    expect(await store.tryLock(a, callSid, 5000)).toBeUndefined();
    await release!();
    expect(await store.tryLock(a, callSid, 5000)).toBeDefined();
  });

  it('takes the step lock and reads the session in one go, and saves and unlocks in one go only when the save succeeds', async () => {
    const s = newSession(a);
    await store.create(s);
    const lock = await store.lockAndLoad(a, s.callSid, 5000);
    expect(lock?.stored).toEqual({ session: s, version: 1 });
    expect(await store.lockAndLoad(a, s.callSid, 5000)).toBeUndefined();
    expect(await store.tryLock(a, s.callSid, 5000)).toBeUndefined();
    expect(await lock!.replaceAndRelease(7, { ...s, seq: 7 })).toBe('conflict');
    expect(await store.tryLock(a, s.callSid, 5000)).toBeUndefined();
    expect(await lock!.replaceAndRelease(1, { ...s, seq: 1 })).toBe(2);
    const next = await store.lockAndLoad(a, s.callSid, 5000);
    expect(next?.stored).toEqual({ session: { ...s, seq: 1 }, version: 2 });
    await lock!.release();
    expect(await store.tryLock(a, s.callSid, 5000)).toBeUndefined();
    await next!.release();
    const none = await store.lockAndLoad(b, s.callSid, 5000);
    expect(none).toBeDefined();
    expect(none!.stored).toBeUndefined();
    expect(await none!.replaceAndRelease(1, { ...s, tenantId: b })).toBe('gone');
    await none!.release();
    expect(await store.tryLock(b, s.callSid, 5000)).toBeDefined();
  });

  it("keeps the last answer's TwiML beside the session document, written with a successful save only", async () => {
    const s = newSession(a);
    await store.create(s);
    const first = await store.lockAndLoad(a, s.callSid, 5000);
    expect(await first!.lastAnswerTwiml()).toBeUndefined();
    expect(await first!.replaceAndRelease(9, { ...s, seq: 1 }, '<Response><Say>lost</Say></Response>')).toBe('conflict');
    expect(await first!.lastAnswerTwiml()).toBeUndefined();
    const answered = { ...s, seq: 1, lastAnswer: { fingerprint: 'f1' } };
    expect(await first!.replaceAndRelease(1, answered, '<Response><Say>one &amp; "two"</Say></Response>')).toBe(2);
    expect(await store.lastAnswerTwiml(a, s.callSid)).toBe('<Response><Say>one &amp; "two"</Say></Response>');
    expect(await store.lastAnswerTwiml(b, s.callSid)).toBeUndefined();
    const doc = await redis.hget(sessionKey(a, s.callSid), 'doc');
    expect(doc).not.toContain('Response');
    expect((await store.load(a, s.callSid))?.session.lastAnswer).toEqual({ fingerprint: 'f1' });
    // An outside write (the session API) leaves the answer alone.
    await store.update(a, s.callSid, (session) => ({ ...session, pendingVars: { x: 1 } }));
    expect(await store.lastAnswerTwiml(a, s.callSid)).toBe('<Response><Say>one &amp; "two"</Say></Response>');
  });

  it('still replays the answer of a session saved with the TwiML in its document', async () => {
    const s = { ...newSession(a), seq: 1, lastAnswer: { fingerprint: 'f0', twiml: '<Response><Hangup/></Response>' } };
    await redis.hset(sessionKey(a, s.callSid), 'v', 3, 'doc', JSON.stringify(s));
    const lock = await store.lockAndLoad(a, s.callSid, 5000);
    expect(await lock!.lastAnswerTwiml()).toBe('<Response><Hangup/></Response>');
    expect(await lock!.replaceAndRelease(3, { ...s, seq: 2, lastAnswer: { fingerprint: 'f1' } }, '<Response><Say>next</Say></Response>')).toBe(4);
    expect(await store.lastAnswerTwiml(a, s.callSid)).toBe('<Response><Say>next</Say></Response>');
    await redis.del(sessionKey(a, s.callSid));
  });

  it('merges outside variables as pending, honours If-Match, audits names only, and walls tenants off', async () => {
    const s = newSession(a);
    await store.create(s);
    const patched = await variables.patch(a, s.callSid, { premium: true, note: 'gold customer' }, 1, 'api-key:crm');
    expect(patched.version).toBe(2);
    expect(patched.session.pendingVars).toEqual({ premium: true, note: 'gold customer' });
    await expect(variables.patch(a, s.callSid, { premium: false }, 1, 'api-key:crm')).rejects.toMatchObject({ code: 'precondition-failed' });
    await expect(variables.patch(b, s.callSid, { premium: false }, undefined, 'api-key:other')).rejects.toMatchObject({ code: 'not-found' });
    await expect(variables.patch(a, s.callSid, { __proto__x: 1, 'bad-name': 1 }, undefined, 'x')).rejects.toMatchObject({ code: 'invalid-input', field: 'variables.bad-name' });
    await expect(variables.patch(a, s.callSid, { nested: { a: 1 } }, undefined, 'x')).rejects.toMatchObject({ code: 'invalid-input', field: 'variables.nested' });
    const big = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`v${i}`, 'x'.repeat(4000)]));
    await expect(variables.patch(a, s.callSid, big, undefined, 'x')).rejects.toMatchObject({ code: 'too-large' });
    const audited = await new TenantDatabase(dataSource).run(a, (em) =>
      em.query(`SELECT actor, details FROM audit_log WHERE action = 'call-session.set-variables' AND target_id = $1`, [s.callSid]),
    );
    expect(audited).toEqual([{ actor: 'api-key:crm', details: { names: ['premium', 'note'] } }]);
  });

  it('writes a call record once, without sensitive digits and with credential-like variables masked', async () => {
    const s = newSession(a);
    s.state = { ...s.state, path: ['card', 'done'], sensitive: { card: { digits: '4111111111111111' } }, vars: { apiToken: 'tok', tier: 'gold' } };
    const status = { callSid: s.callSid, from: '+15551230001', to: '+15559870000', direction: 'inbound' as const, outcome: 'completed', durationSeconds: 42, endedAt: new Date() };
    expect(await records.writeOnce(a, callRecordOf(status, s))).toBe(true);
    expect(await records.writeOnce(a, callRecordOf({ ...status, outcome: 'failed' }, s))).toBe(false);
    const stored = await records.find(a, s.callSid);
    expect(stored).toMatchObject({ outcome: 'completed', durationSeconds: 42, nodePath: ['card', 'done'], variables: { apiToken: '[redacted]', tier: 'gold' } });
    expect(JSON.stringify(stored)).not.toContain('4111111111111111');
    expect(await records.find(b, s.callSid)).toBeUndefined();
  });
});
