// The Lua cores of the rate-limit variants. Each reads the server's TIME (never a client clock),
// so that every client judges by one clock, and takes exactly the ARGV of the contract in
// ../shared/spec/patterns.md ("Your own Lua"), which a user's script replaces (--script).
// Times are whole microseconds, formatted by hand: Lua prints numbers with 14 digits, which
// would round a microsecond timestamp (16 digits) by tens of microseconds.
#pragma once

#include "redis/connection.hpp"

namespace redproof::rate_limit {

// KEYS[1] limited key; ARGV limit, window in ms, unique request id. 1 admitted, 0 rejected.
const redis::Script& sliding_log_script();
// KEYS[1] limited key; ARGV capacity, refill per second, requested tokens. 1 / 0.
const redis::Script& token_bucket_script();
// GCRA with burst = capacity and emission interval 1/rate; same ARGV as the token bucket.
const redis::Script& gcra_script();

}  // namespace redproof::rate_limit
