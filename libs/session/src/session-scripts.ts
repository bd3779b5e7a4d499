// Lua scripts for atomic session writes. KEYS[1] is the session hash, KEYS[2] the tenant's active-call index;
// both carry the tenant's hash tag, so they sit in one cluster slot.

/** ARGV: doc, ttlSeconds, startedAtMs, callSid. Returns 1 when created, 0 when the session already exists. */
export const createSessionScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', 1, 'doc', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1`;

/**
 * Compare-and-set on the version. ARGV: expectedVersion, doc, ttlSeconds, active ('1' or '0'), startedAtMs, callSid.
 * Returns the new version, -1 when the session is gone, -2 when another write came first.
 */
export const replaceSessionScript = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if tonumber(v) ~= tonumber(ARGV[1]) then return -2 end
local nv = tonumber(v) + 1
redis.call('HSET', KEYS[1], 'v', nv, 'doc', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if ARGV[4] == '1' then redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[6]) else redis.call('ZREM', KEYS[2], ARGV[6]) end
return nv`;

/** Deletes a lock only if it still holds the caller's token. */
export const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
