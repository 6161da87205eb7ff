// The stampede workload's variants and knobs (declared in stampede_workload.cpp's table), typed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "workloads/knobs.hpp"

namespace redproof::stampede {

enum class StampedeVariant {
  kNone,    // every reader that misses rebuilds (the herd)
  kMutex,   // SET NX PX rebuild lock; the others serve the old copy or wait briefly
  kXfetch,  // XFetch: early probabilistic recomputation before the entry expires
};

std::optional<StampedeVariant> parse_stampede_variant(std::string_view name);
std::string_view stampede_variant_name(StampedeVariant v);

struct StampedeOptions {
  StampedeVariant variant = StampedeVariant::kMutex;
  std::int64_t keys = 3;
  std::chrono::milliseconds ttl{500};
  std::chrono::milliseconds db_latency{50};
  std::chrono::milliseconds lock_ttl{1000};
  std::chrono::milliseconds wait{5};  // poll interval of a reader waiting for a rebuild
  std::chrono::milliseconds think{1};
  double beta = 1.0;
};

StampedeOptions stampede_options(StampedeVariant variant, const KnobValues& knobs);

// The hot keys, their rebuild locks and (mutex) the old copies served during a rebuild. One
// hash tag per hot key keeps the three on one cluster slot.
std::string hot_key(std::int64_t i);
inline std::string lock_key(const std::string& key) {
  return key + ":lock";
}
inline std::string old_key(const std::string& key) {
  return key + ":old";
}

}  // namespace redproof::stampede
