/**
 * One atomic pacing decision for one message from one sender number: the dial pacer's design (GCRA slots
 * on Redis's clock, a sliding one-second log as the hard guard, a message counted from admission until
 * Twilio's answer is back), with a single key pair per sender and no concurrency cap.
 *
 * KEYS: 1 sender TAT, 2 sender send log
 * ARGV: 1 mps, 2 spacing window ms, 3 horizon ms, 4 member (the message), 5 "1" when the job holds a reserved
 *       slot, 6 hard window ms (1000)
 * Answers {verdict, ms}: go | slot (reserved, come back in ms with ARGV[5] = "1") | later | guard.
 */
export const SMS_PACER_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mps, windowMs, horizon = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local member, hard = ARGV[4], tonumber(ARGV[6])

if ARGV[5] ~= '1' then
  local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
  local ahead = slot - now
  if ahead > horizon then return {'later', ahead - horizon} end
  redis.call('SET', KEYS[1], tostring(slot + windowMs / mps), 'PX', math.floor(ahead + windowMs * 2))
  if ahead > 0 then return {'slot', math.ceil(ahead)} end
end

redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - hard)
if redis.call('ZSCORE', KEYS[2], member) then return {'go', 0} end
if redis.call('ZCARD', KEYS[2]) >= mps then
  local oldest = tonumber(redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')[2])
  if oldest > now then return {'guard', 25} end
  return {'guard', oldest + hard - now + 1}
end
redis.call('ZADD', KEYS[2], now + 60000, member)
redis.call('PEXPIRE', KEYS[2], 120000)
return {'go', 0}
`;

/** Twilio answered (ARGV[2] "1": the message may exist, it counts from now) or refused it ("0": it leaves the log). */
export const SMS_SETTLE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[2] == '0' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1]) end
return 1
`;
