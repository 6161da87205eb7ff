-- A token bucket as a team might write it, with its own argument order:
-- ARGV[1] rate per second, ARGV[2] capacity, ARGV[3] requested tokens.
-- Returns {allowed, tokens_left}. Time from the server, in microseconds.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rate = tonumber(ARGV[1]) / 1000000
local capacity = tonumber(ARGV[2])
local requested = tonumber(ARGV[3])
local last = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(last[1]) or capacity
local ts = tonumber(last[2]) or now
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * rate)
  ts = now
end
local allowed = 0
if tokens >= requested then
  tokens = tokens - requested
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', ts))
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.ceil(capacity / rate / 1000) + 1000))
return {allowed, string.format('%.3f', tokens)}
