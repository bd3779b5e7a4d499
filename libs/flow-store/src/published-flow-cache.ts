import type { PublishedFlow } from './flow-store.types';

/**
 * Published versions never change, so they are kept in memory once read. Bounded: the oldest
 * entry goes first when full (a map keeps insertion order; a hit moves the entry to the end).
 */
export class PublishedFlowCache {
  private readonly entries = new Map<string, PublishedFlow>();

  constructor(private readonly capacity = 2000) {}

  private static key(tenantId: string, flowId: string, version: number): string {
    return `${tenantId}/${flowId}/${version}`;
  }

  get(tenantId: string, flowId: string, version: number): PublishedFlow | undefined {
    const key = PublishedFlowCache.key(tenantId, flowId, version);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  put(published: PublishedFlow): void {
    const key = PublishedFlowCache.key(published.tenantId, published.flowId, published.version);
    this.entries.delete(key);
    this.entries.set(key, published);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
