#include "workloads/rate_limit/rate_limit_scripts.hpp"

namespace redproof::rate_limit {

namespace {

// Redis before 7 replicates a script by its source unless told otherwise, and refuses writes
// after a non-deterministic command such as TIME; 7 ignores this call.
constexpr const char* kPrelude =
    "if redis.replicate_commands then redis.replicate_commands() end\n"
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n";

}  // namespace

const redis::Script& sliding_log_script() {
  static const redis::Script script(std::string(kPrelude) + R"(
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2]) * 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - window))
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
)");
  return script;
}

const redis::Script& token_bucket_script() {
  static const redis::Script script(std::string(kPrelude) + R"(
local capacity = tonumber(ARGV[1])
local per_us = tonumber(ARGV[2]) / 1000000
local want = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * per_us)
  ts = now
end
local admitted = 0
if tokens >= want then
  tokens = tokens - want
  admitted = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', ts))
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.ceil(capacity / per_us / 1000) + 1000))
return admitted
)");
  return script;
}

const redis::Script& gcra_script() {
  static const redis::Script script(std::string(kPrelude) + R"(
local capacity = tonumber(ARGV[1])
local interval = 1000000 / tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local new_tat = tat + want * interval
if new_tat - capacity * interval > now then return 0 end
redis.call('SET', KEYS[1], string.format('%.17g', new_tat), 'PX',
           string.format('%d', math.ceil((new_tat - now) / 1000) + 1))
return 1
)");
  return script;
}

}  // namespace redproof::rate_limit
