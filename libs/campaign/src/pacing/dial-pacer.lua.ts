/**
 * The pacing scripts, atomic on Redis's own clock (TIME): every worker process shares one clock and one
 * state. All keys carry one tenant's hash tag: one Redis Cluster slot.
 *
 * The one-second window, as Twilio counts it: the calls its API accepted (created) in any window of
 * 1000 ms, sliding (so every wall-clock second is one of them). A dial's request reaches Twilio at an
 * unknown moment between its admission (DIAL_ADMIT_LUA, just before the request leaves) and its answer
 * (DIAL_SETTLE_LUA). The dial log holds each dial with a score: far in the future while its request is
 * on the way, then the moment its answer came back. Admitting a dial only while the log holds fewer
 * than cps dials answered within the last second (or still on the way) keeps any one-second window at
 * Twilio within cps, however late a request travels: the cost is the request's own latency per cps dials.
 *
 * So that the log rarely has to hold a dial back, dials are given slots ahead (DIAL_RESERVE_LUA, GCRA)
 * spaced (1000 + slack) / cps ms apart, where slack follows the measured request latency.
 */

/** How far in the future a dial on its way sits in the log (its admission time + this). */
export const PENDING_OFFSET_MS = 60_000;

/**
 * A slot for one dial. KEYS: 1 tenant TAT, 2 campaign TAT, 3 tenant in-flight, 4 campaign in-flight,
 * 5 tenant reserved slots, 6 tenant latency estimate.
 * ARGV: 1 tenant cps, 2 campaign cps, 3 horizon ms, 4 tenant max in flight, 5 campaign max in flight,
 *       6 member (the attempt), 7 lease ms, 8 max slack ms.
 * Answers {verdict, ms, now}:
 *   slot   a slot is held for this dial `ms` from now (0: now), and an in-flight lease; asking again
 *          before it is used answers the same slot
 *   later  the tenant is booked beyond the horizon: come back in `ms`, nothing held
 *   busy   the concurrency cap is reached, nothing held
 */
export const DIAL_RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tcps, ccps, horizon = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local member, lease = ARGV[6], tonumber(ARGV[7])

local held = redis.call('ZSCORE', KEYS[5], member)
if held then
  held = tonumber(held)
  if held >= now - 5000 then return {'slot', math.max(0, held - now), now} end
  redis.call('ZREM', KEYS[5], member)
end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
local leased = redis.call('ZSCORE', KEYS[3], member)
if not leased and (redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) or redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[5])) then
  return {'busy', 0, now}
end

local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0'), now)
local ahead = slot - now
if ahead > horizon then return {'later', ahead - horizon, now} end
local slack = math.min(tonumber(redis.call('GET', KEYS[6]) or '0'), tonumber(ARGV[8]))
local keep = math.floor(ahead + 5000)
redis.call('SET', KEYS[1], tostring(slot + (1000 + slack) / tcps), 'PX', keep)
redis.call('SET', KEYS[2], tostring(slot + (1000 + slack) / ccps), 'PX', keep)
redis.call('ZADD', KEYS[5], slot, member)
redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - 60000)
redis.call('PEXPIRE', KEYS[5], 120000)
redis.call('ZADD', KEYS[3], now + lease, member)
redis.call('ZADD', KEYS[4], now + lease, member)
redis.call('PEXPIRE', KEYS[3], lease * 2)
redis.call('PEXPIRE', KEYS[4], lease * 2)
return {'slot', math.ceil(ahead), now}
`;

/**
 * The hard guard, just before the request leaves. KEYS: 1 tenant dial log, 2 campaign dial log,
 * 3 tenant reserved slots. ARGV: 1 tenant cps, 2 campaign cps, 3 member, 4 window ms (1000), 5 pending offset.
 * Answers {verdict, ms}: go (logged as on its way), or guard (the last second already holds cps dials:
 * look again in `ms`).
 */
export const DIAL_ADMIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member, window, pending = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local wait = 0
for i = 1, 2 do
  local log = KEYS[i]
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  if redis.call('ZSCORE', log, member) then return {'go', 0} end
  if redis.call('ZCARD', log) >= tonumber(ARGV[i]) then
    local oldest = tonumber(redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')[2])
    -- Every counted dial is still on its way: look again shortly.
    if oldest > now then wait = math.max(wait, 2) else wait = math.max(wait, oldest + window - now + 1) end
  end
end
if wait > 0 then return {'guard', wait} end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], now + pending, member)
  redis.call('PEXPIRE', KEYS[i], pending * 2)
end
redis.call('ZREM', KEYS[3], member)
return {'go', 0}
`;

/**
 * A dial's request came back. KEYS: 1 tenant dial log, 2 campaign dial log, 3 tenant latency estimate.
 * ARGV: 1 member, 2 "1" if the call may exist (placed, or no answer to tell), "0" if Twilio refused it
 * (it never counted against the rate), 3 pending offset.
 * A dial that may exist counts from now on; its request's latency moves the tenant's estimate
 * (a moving average: slots spaced by it meet the guard only when a request is slower than usual).
 */
export const DIAL_SETTLE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member, pending = ARGV[1], tonumber(ARGV[3])
local score = redis.call('ZSCORE', KEYS[1], member)
for i = 1, 2 do
  if ARGV[2] == '0' then
    redis.call('ZREM', KEYS[i], member)
  else
    redis.call('ZADD', KEYS[i], 'XX', now, member)
  end
end
if score and tonumber(score) > now then
  local latency = math.max(0, now - (tonumber(score) - pending))
  local estimate = tonumber(redis.call('GET', KEYS[3]) or '0')
  estimate = estimate * 0.9 + latency * 0.1
  redis.call('SET', KEYS[3], tostring(estimate), 'PX', 3600000)
end
return 1
`;
