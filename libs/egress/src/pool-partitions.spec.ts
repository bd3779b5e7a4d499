import { AsyncLocalStorage } from 'node:async_hooks';
import { ClsServiceManager } from 'nestjs-cls';
import type { HttpPortRequest } from '@ringflow/flow';
import { type LocalTestServer, startLocalTestServer } from './__tests__/local-test-server';
import { type LoopbackConnectGuard, installLoopbackConnectGuard } from './__tests__/loopback-connect-guard';
import { PoolPartitions, tenantFromAsyncContext } from './pool-partitions';
import { SafeHttpClient } from './safe-http-client';

const request = (url: string, timeoutMs: number): HttpPortRequest => ({ method: 'GET', url, headers: {}, timeoutMs, maxResponseBytes: 1_024 });

describe('SafeHttpClient partitions: tenants calling the same origin', () => {
  let guard: LoopbackConnectGuard;
  let shared: LocalTestServer;
  const tenant = new AsyncLocalStorage<string>();
  const as = <T>(tenantId: string, work: () => Promise<T>) => tenant.run(tenantId, work);

  beforeEach(async () => {
    guard = installLoopbackConnectGuard();
    // One CRM vendor many tenants use: one tenant's account is stuck, another's answers at once.
    shared = await startLocalTestServer({ '/stuck': () => undefined, '/fine': (_req, res) => res.writeHead(200).end('ok') });
  });
  afterEach(async () => {
    await shared.close();
    guard.restore();
  });

  const stuckThenFine = async (client: SafeHttpClient) => {
    const url = (path: string) => `http://127.0.0.1:${shared.port}${path}`;
    const stuck = [1, 2, 3, 4].map(() => as('tenant-a', () => client.request(request(url('/stuck'), 1_500))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fine = await as('tenant-b', () => client.request(request(url('/fine'), 800)));
    const connections = shared.connections();
    return { stuck: await Promise.all(stuck), fine, connections };
  };

  it("one tenant's stuck requests fill only its own pool: another tenant's request to the same origin is answered", async () => {
    const client = new SafeHttpClient({ allowCidrs: ['127.0.0.0/8'], connectionsPerOrigin: 2, partitionOf: () => tenant.getStore() });
    try {
      const { stuck, fine, connections } = await stuckThenFine(client);
      expect(fine).toMatchObject({ kind: 'response', status: 200, body: 'ok' });
      expect(stuck).toEqual([1, 2, 3, 4].map(() => ({ kind: 'timeout' })));
      // While B was answered, tenant A held its 2 connections and B had opened its own.
      expect(connections).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('with one shared partition, the other tenant waits behind the stuck ones and times out (what partitions prevent)', async () => {
    const client = new SafeHttpClient({ allowCidrs: ['127.0.0.0/8'], connectionsPerOrigin: 2, partitionOf: null });
    try {
      const { fine } = await stuckThenFine(client);
      expect(fine).toEqual({ kind: 'timeout' });
    } finally {
      await client.close();
    }
  });
});

describe('PoolPartitions', () => {
  it('makes a pool per partition on first use and closes the least recently used beyond the maximum', async () => {
    const closed: number[] = [];
    let made = 0;
    const partitions = new PoolPartitions(() => {
      const id = ++made;
      return { id, close: async () => void closed.push(id) };
    }, 2);
    const a = partitions.get('a');
    expect(partitions.get('a')).toBe(a);
    partitions.get('b');
    partitions.get('a');
    partitions.get('c');
    expect(partitions.size).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toEqual([2]);
    await partitions.closeAll();
    expect(closed.sort()).toEqual([1, 2, 3]);
  });
});

describe('tenantFromAsyncContext', () => {
  it("is the tenant the request's async context holds, and undefined outside one", async () => {
    const cls = ClsServiceManager.getClsService();
    expect(tenantFromAsyncContext()).toBeUndefined();
    await cls.run(async () => {
      expect(tenantFromAsyncContext()).toBeUndefined();
      cls.set('tenantId', 'ten-1');
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(tenantFromAsyncContext()).toBe('ten-1');
    });
  });
});
