import { ClsServiceManager } from 'nestjs-cls';

/**
 * The tenant of the request being served, from the async context the apps keep (nestjs-cls, `tenantId`, set once
 * a webhook's signature is verified or an API key is authenticated); undefined outside such a context.
 */
export function tenantFromAsyncContext(): string | undefined {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return undefined;
  const tenantId: unknown = cls.get('tenantId');
  return typeof tenantId === 'string' && tenantId !== '' ? tenantId : undefined;
}

interface Closable {
  close(): Promise<void>;
}

/**
 * One connection pool set per partition (a tenant), made on first use; the least recently used one is closed
 * when there are more than `max`. Requests of one partition never wait behind another's.
 */
export class PoolPartitions<T extends Closable> {
  private readonly pools = new Map<string, T>();

  constructor(
    private readonly make: () => T,
    private readonly max: number,
  ) {}

  get(partition: string): T {
    let pool = this.pools.get(partition);
    if (pool) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.pools.delete(partition);
    } else {
      pool = this.make();
      if (this.pools.size >= this.max) {
        const [oldest, closing] = this.pools.entries().next().value as [string, T];
        this.pools.delete(oldest);
        // In-flight requests of the evicted pool finish; it takes no new ones.
        void closing.close().catch(() => undefined);
      }
    }
    this.pools.set(partition, pool);
    return pool;
  }

  get size(): number {
    return this.pools.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((pool) => pool.close()));
  }
}
