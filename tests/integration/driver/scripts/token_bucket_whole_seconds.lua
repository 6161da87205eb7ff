-- The same token bucket with one deliberate bug: the server's time is truncated to whole
-- seconds, so a bucket drained just before a second ends is refilled in full at the next second
-- (more than capacity + rate x span within a few milliseconds).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000
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
