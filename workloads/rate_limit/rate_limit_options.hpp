// The rate-limit workload's variants (../shared/spec/cli.md) and its settings, read once from the
// knob table; the checker's options come from the same knobs, so a run and an offline
// `check --workload rate-limit --param ...` judge alike.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "checkers/rate_limit_checker.hpp"
#include "workloads/knobs.hpp"

namespace redproof::rate_limit {

enum class Variant {
  kSlidingLogLua,   // ZSET log trimmed, counted and added in one Lua script (server TIME)
  kTokenBucketLua,  // tokens and last refill in a hash, refilled in Lua (server TIME)
  kGcraLua,         // GCRA: one theoretical arrival time, in Lua (server TIME)
  kFixedWindow,     // INCR, then PEXPIRE when the count is 1 (by design: 2x at a boundary)
  kSlidingLog,      // ZREMRANGEBYSCORE, ZCARD, ZADD as separate commands, client clock (broken)
};

std::optional<Variant> parse_variant(std::string_view name);
std::string_view variant_name(Variant v);
bool has_lua(Variant v);
bool is_bucket(Variant v);

struct Settings {
  Variant variant = Variant::kSlidingLogLua;
  std::int64_t limit = 10;
  std::chrono::milliseconds window{1000};
  std::int64_t capacity = 10;
  double rate = 10;     // tokens per second
  int identities = 4;   // limited keys the steady workers spread over
  double arrival = 40;  // requests per second per identity, from the steady workers
  double burst = 0.4;   // share of workers aiming bursts at window boundaries
};

// Throws std::invalid_argument (one line) for an unknown variant.
Settings settings(const std::string& variant, const KnobValues& knobs);
RateLimitOptions checker_options(const std::string& variant, const KnobValues& knobs);

}  // namespace redproof::rate_limit
