/**
 * Identical concurrent lookups share one: while a lookup for a key is in flight, asking again for that key gets the
 * same promise (its result or its error). Nothing is kept once it settles.
 */
export class Coalesced<K, V> {
  private readonly inFlight = new Map<K, Promise<V>>();

  run(key: K, lookup: () => Promise<V>): Promise<V> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const started = lookup().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
