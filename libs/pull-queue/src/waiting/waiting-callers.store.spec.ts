import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import type { TenantId } from '@ringflow/tenancy';
import { WaitingCallersStore } from './waiting-callers.store';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const callSid = () => `CA${randomBytes(16).toString('hex')}`;

describe('WaitingCallersStore on Redis', () => {
  const connections: Redis[] = [];
  const store = () => {
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return new WaitingCallersStore(redis);
  };
  afterAll(async () => {
    for (const c of connections) await c.quit();
  });

  it('lets exactly one of many simultaneous YES replies (from separate gateways) take a caller', async () => {
    const tenant = randomUUID() as TenantId;
    const sid = callSid();
    await store().add(tenant, { callSid: sid, queue: 'support', priority: 0, caller: '+15551230001', called: '+14155550100' });
    const caller = (await store().get(tenant, sid))!;
    const agents = Array.from({ length: 8 }, (_, i) => ({ id: `agent-${i}`, phone: `+1415555030${i}` }));
    const results = await Promise.all(agents.map((agent) => store().claim(tenant, caller, agent)));
    const winners = results.filter((r) => r.kind === 'claimed');
    expect(winners).toHaveLength(1);
    const winner = winners[0].caller.agentId;
    expect(results.filter((r) => r.kind === 'unavailable').map((r) => r.kind === 'unavailable' && [r.state, r.byAgentId])).toEqual(
      Array(7).fill(['claimed', winner]),
    );
    expect(await store().waiting(tenant, ['support'])).toEqual([]);
  });

  it('orders by priority, then arrival; a replayed add keeps the code; the wait ends once', async () => {
    const tenant = randomUUID() as TenantId;
    const s = store();
    const [a, b, c] = [callSid(), callSid(), callSid()];
    const codeA = (await s.add(tenant, { callSid: a, queue: 'q', priority: 1, caller: '+1', called: '+2' })).code;
    await s.add(tenant, { callSid: b, queue: 'q', priority: 10, caller: '+1', called: '+2' });
    await s.add(tenant, { callSid: c, queue: 'q', priority: 1, caller: '+1', called: '+2' });
    expect(await s.add(tenant, { callSid: a, queue: 'q', priority: 1, caller: '+1', called: '+2' })).toEqual({ added: false, code: codeA });
    expect((await s.waiting(tenant, ['q'])).map((w) => w.callSid)).toEqual([b, a, c]);
    expect(await s.position(tenant, (await s.get(tenant, c))!)).toBe(3);
    expect(await s.finish(tenant, a, 'hung-up')).toBe('waiting');
    expect(await s.finish(tenant, a, 'timeout')).toBe('hung-up');
    expect((await s.byCode(tenant, codeA))?.state).toBe('hung-up');
  });

  it('sends a caller to voicemail only when every notified agent has said NO', async () => {
    const tenant = randomUUID() as TenantId;
    const s = store();
    const sid = callSid();
    await s.add(tenant, { callSid: sid, queue: 'q', priority: 0, caller: '+1', called: '+2' });
    await s.markNotified(tenant, sid, ['ann', 'bob']);
    const caller = (await s.get(tenant, sid))!;
    expect((await s.decline(tenant, caller, 'ann')).kind).toBe('declined');
    expect((await s.decline(tenant, caller, 'ann')).kind).toBe('declined');
    expect((await s.decline(tenant, caller, 'bob')).kind).toBe('all-declined');
    expect(await s.decline(tenant, caller, 'bob')).toMatchObject({ kind: 'unavailable', state: 'voicemail' });
    expect(await s.claim(tenant, caller, { id: 'ann', phone: '+3' })).toMatchObject({ kind: 'unavailable', state: 'voicemail' });
  });
});
