// Every script touches keys of one tenant (one hash tag), so it stays atomic on Redis Cluster too.
// Code keys are derived inside ADD from the tenant's code prefix (same hash tag, same slot).

/** KEYS: entry, waiting zset, code counter, sequence. ARGV: callSid, queue, priority, caller, called, ttl, code key prefix, now. */
export const addCallerScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, tonumber(redis.call('HGET', KEYS[1], 'code'))} end
local seq = redis.call('INCR', KEYS[4])
local code = 0
for _ = 1, 999 do
  local n = (redis.call('INCR', KEYS[3]) - 1) % 999 + 1
  if redis.call('SET', ARGV[7] .. n, ARGV[1], 'NX', 'EX', ARGV[6]) then code = n break end
end
if code == 0 then return {-1, 0} end
local priority = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'callSid', ARGV[1], 'queue', ARGV[2], 'priority', priority, 'code', code, 'caller', ARGV[4],
  'called', ARGV[5], 'state', 'waiting', 'enqueuedAt', ARGV[8])
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('ZADD', KEYS[2], (1000 - priority) * 10000000000 + seq, ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[6])
return {1, code}`;

/** KEYS: entry, waiting zset. ARGV: callSid, agentId, agentPhone. Returns {'taken-now', agentId} or {state before, its agentId}. */
export const claimCallerScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'gone', ''} end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'waiting' then return {state, redis.call('HGET', KEYS[1], 'agentId') or ''} end
redis.call('HSET', KEYS[1], 'state', 'claimed', 'agentId', ARGV[2], 'agentPhone', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
return {'taken-now', ARGV[2]}`;

/** KEYS: entry, waiting zset, notified set, declined set. ARGV: callSid, agentId, ttl. */
export const declineCallerScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'waiting' then return state end
redis.call('SADD', KEYS[3], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[2])
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('EXPIRE', KEYS[4], ARGV[3])
if #redis.call('SDIFF', KEYS[3], KEYS[4]) == 0 then
  redis.call('HSET', KEYS[1], 'state', 'voicemail')
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 'all-declined'
end
return 'declined'`;

/** KEYS: entry, waiting zset. ARGV: callSid, new state. Returns the state before (only 'waiting' changes). */
export const finishCallerScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'gone' end
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'waiting' then
  redis.call('HSET', KEYS[1], 'state', ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return state`;
