/**
 * One atomic pacing decision for one dial, on Redis's own clock (TIME), so every worker process
 * shares one clock and one state. All keys carry one tenant's hash tag: one Redis Cluster slot.
 *
 * KEYS: 1 tenant TAT, 2 campaign TAT, 3 tenant dial log, 4 campaign dial log, 5 tenant in-flight, 6 campaign in-flight
 * ARGV: 1 tenant cps, 2 campaign cps, 3 window ms, 4 horizon ms, 5 tenant max in flight, 6 campaign max in flight,
 *       7 member (the attempt), 8 lease ms, 9 "1" when the job already holds a reserved slot
 *
 * Answers {verdict, ms}:
 *   go    dial now: logged in both dial logs and holding an in-flight lease
 *   slot  a slot was reserved `ms` from now (GCRA spacing): come back then with ARGV[9] = "1"
 *   later the tenant is booked beyond the horizon: come back in `ms`, nothing reserved
 *   guard the last second already holds cps dials (a late slot): come back in `ms`
 *   busy  the concurrency cap is reached
 */
export const DIAL_PACER_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tcps, ccps = tonumber(ARGV[1]), tonumber(ARGV[2])
local windowMs, horizon = tonumber(ARGV[3]), tonumber(ARGV[4])
local member, lease = ARGV[7], tonumber(ARGV[8])

redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
if redis.call('ZSCORE', KEYS[5], member) then return {'go', 0} end
if redis.call('ZCARD', KEYS[5]) >= tonumber(ARGV[5]) or redis.call('ZCARD', KEYS[6]) >= tonumber(ARGV[6]) then
  return {'busy', 0}
end

if ARGV[9] ~= '1' then
  local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'), now)
  local ahead = slot - now
  if ahead > horizon then return {'later', ahead - horizon} end
  local keep = math.floor(ahead + windowMs * 2)
  redis.call('SET', KEYS[1], tostring(slot + windowMs / tcps), 'PX', keep)
  redis.call('SET', KEYS[2], tostring(slot + windowMs / ccps), 'PX', keep)
  if ahead > 0 then return {'slot', math.ceil(ahead)} end
end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - windowMs)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - windowMs)
local wait = 0
if redis.call('ZCARD', KEYS[3]) >= tcps then
  local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  wait = math.max(wait, tonumber(oldest[2]) + windowMs - now)
end
if redis.call('ZCARD', KEYS[4]) >= ccps then
  local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
  wait = math.max(wait, tonumber(oldest[2]) + windowMs - now)
end
if wait > 0 then return {'guard', wait + 1} end

redis.call('ZADD', KEYS[3], now, member)
redis.call('ZADD', KEYS[4], now, member)
redis.call('PEXPIRE', KEYS[3], windowMs * 2)
redis.call('PEXPIRE', KEYS[4], windowMs * 2)
redis.call('ZADD', KEYS[5], now + lease, member)
redis.call('ZADD', KEYS[6], now + lease, member)
redis.call('PEXPIRE', KEYS[5], lease * 2)
redis.call('PEXPIRE', KEYS[6], lease * 2)
return {'go', 0}
`;
