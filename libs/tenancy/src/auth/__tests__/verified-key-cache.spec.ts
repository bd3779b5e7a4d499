import type { TenantId } from '../../tenant/tenant-id';
import { VerifiedKeyCache, type VerifiedKey } from '../verified-key-cache';

const key = (keyId: string): VerifiedKey => ({ tenantId: '00000000-0000-4000-8000-000000000001' as TenantId, keyId, role: 'merchant', expiresAt: null });

describe('VerifiedKeyCache', () => {
  it('answers for a key until its entry lapses, then not', () => {
    const cache = new VerifiedKeyCache(5_000);
    cache.set('hash-a', key('a'), 1_000);
    expect(cache.get('hash-a', 5_999)).toEqual(key('a'));
    expect(cache.get('hash-a', 6_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most its bound, making room by dropping the oldest entry', () => {
    const cache = new VerifiedKeyCache(5_000, 2);
    cache.set('hash-a', key('a'), 0);
    cache.set('hash-b', key('b'), 0);
    cache.set('hash-c', key('c'), 0);
    expect([cache.get('hash-a', 1), cache.get('hash-b', 1)?.keyId, cache.get('hash-c', 1)?.keyId]).toEqual([undefined, 'b', 'c']);
  });

  it('forgets a key by its id, and everything on clear', () => {
    const cache = new VerifiedKeyCache();
    cache.set('hash-a', key('a'), 0);
    cache.set('hash-b', key('b'), 0);
    cache.forgetKey('a');
    expect([cache.get('hash-a', 1), cache.get('hash-b', 1)?.keyId]).toEqual([undefined, 'b']);
    cache.clear();
    expect(cache.get('hash-b', 1)).toBeUndefined();
  });
});
