/**
 * One atomic pacing decision for one dial, on Redis's own clock (TIME), so every worker process
 * shares one clock and one state. All keys carry one tenant's hash tag: one Redis Cluster slot.
 *
 * KEYS: 1 tenant TAT, 2 campaign TAT, 3 tenant dial log, 4 campaign dial log, 5 tenant in-flight, 6 campaign in-flight
 * ARGV: 1 tenant cps, 2 campaign cps, 3 spacing window ms, 4 horizon ms, 5 tenant max in flight, 6 campaign max in flight,
 *       7 member (the attempt), 8 lease ms, 9 "1" when the job already holds a reserved slot, 10 hard window ms (1000),
 *       11 "1" strict: a dial counts until its answer is back (else from its admission only)
 *
 * Answers {verdict, ms}:
 *   go    dial now: logged in both dial logs and holding an in-flight lease
 *   slot  a slot was reserved `ms` from now (GCRA spacing): come back then with ARGV[9] = "1"
 *   later the tenant is booked beyond the horizon: come back in `ms`, nothing reserved
 *   guard the last second already holds cps dials (a late slot): come back in `ms`
 *   busy  the concurrency cap is reached
 *
 * The dial logs hold each dial with a score: far in the future while its request is on the way, then
 * the moment Twilio's answer came back (DIAL_SETTLE_LUA). Twilio saw the request between admission and
 * that answer, so counting every dial not yet a full window old by its answer keeps Twilio's own view of
 * any one-second window within cps, however late a request travels.
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

local hard = tonumber(ARGV[10])
local wait = 0
for i, limit in ipairs({tcps, ccps}) do
  local log = KEYS[2 + i]
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - hard)
  if redis.call('ZCARD', log) >= limit then
    local oldest = tonumber(redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')[2])
    -- Every counted dial is still on its way: look again shortly.
    if oldest > now then wait = math.max(wait, 25) else wait = math.max(wait, oldest + hard - now + 1) end
  end
end
if wait > 0 then return {'guard', wait} end

local pending = now
if ARGV[11] == '1' then pending = now + 60000 end
redis.call('ZADD', KEYS[3], pending, member)
redis.call('ZADD', KEYS[4], pending, member)
redis.call('PEXPIRE', KEYS[3], 120000)
redis.call('PEXPIRE', KEYS[4], 120000)
redis.call('ZADD', KEYS[5], now + lease, member)
redis.call('ZADD', KEYS[6], now + lease, member)
redis.call('PEXPIRE', KEYS[5], lease * 2)
redis.call('PEXPIRE', KEYS[6], lease * 2)
return {'go', 0}
`;

/**
 * A dial's request came back. KEYS: 1 tenant dial log, 2 campaign dial log. ARGV: 1 member, 2 "1" if the
 * call may exist (placed, or no answer to tell), "0" if Twilio refused it (it never counted against the rate),
 * 3 "1" strict (the dial counts from now on).
 */
export const DIAL_SETTLE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, 2 do
  if ARGV[2] == '0' then
    redis.call('ZREM', KEYS[i], ARGV[1])
  elseif ARGV[3] == '1' then
    redis.call('ZADD', KEYS[i], 'XX', now, ARGV[1])
  end
end
return 1
`;
