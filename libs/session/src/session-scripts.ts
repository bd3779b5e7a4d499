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

/**
 * The replace above, and on success the step lock released in the same round trip. KEYS[3] is the call's step lock;
 * ARGV as above plus ARGV[7], the lock's token, and ARGV[8], the TwiML the step answered (field `ans` of the session
 * hash, beside `doc`; '' leaves it as it was). On -1 or -2 nothing is written and the lock stays held (the caller
 * reloads and tries again).
 */
export const replaceSessionAndUnlockScript = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if tonumber(v) ~= tonumber(ARGV[1]) then return -2 end
local nv = tonumber(v) + 1
if ARGV[8] == '' then redis.call('HSET', KEYS[1], 'v', nv, 'doc', ARGV[2]) else redis.call('HSET', KEYS[1], 'v', nv, 'doc', ARGV[2], 'ans', ARGV[8]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
if ARGV[4] == '1' then redis.call('ZADD', KEYS[2], 'NX', ARGV[5], ARGV[6]) else redis.call('ZREM', KEYS[2], ARGV[6]) end
if redis.call('GET', KEYS[3]) == ARGV[7] then redis.call('DEL', KEYS[3]) end
return nv`;

/**
 * Takes a call's step lock and reads its session in one round trip. KEYS[1] is the lock, KEYS[2] the session hash;
 * ARGV: token, ttlMs. Returns nil when the lock is held by another step, else the session's `{v, doc}` (nils when none).
 */
export const lockAndLoadScript = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return nil end
return redis.call('HMGET', KEYS[2], 'v', 'doc')`;

/** Deletes a lock only if it still holds the caller's token. */
export const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
