// The cache workload's variants and knobs (declared in cache_workload.cpp's table), typed.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "workloads/knobs.hpp"

namespace redproof::cache {

enum class CacheVariant {
  kCacheAside,           // read: GET, on a miss load and SET PX; write: row, then DEL
  kCacheAsideVersioned,  // as cache-aside, but fills and invalidations are a Lua set-if-newer
  kReadThrough,          // the cache layer loads on a miss and fills with SET NX PX
  kWriteThrough,         // write: row, then SET of the new value
  kWriteBehind,          // write: SET plus the dirty set; a flusher writes the rows later
};

std::optional<CacheVariant> parse_cache_variant(std::string_view name);
std::string_view cache_variant_name(CacheVariant v);

struct CacheOptions {
  CacheVariant variant = CacheVariant::kCacheAside;
  std::int64_t items = 1000;
  double zipf = 1.0;
  double write_ratio = 0.1;
  std::chrono::milliseconds ttl{5000};
  std::chrono::milliseconds db_latency{2};
  std::chrono::milliseconds think{1};
  std::chrono::milliseconds flush_interval{500};
  std::chrono::milliseconds max_lag{5000};
  std::chrono::milliseconds pause{1000};
};

CacheOptions cache_options(CacheVariant variant, const KnobValues& knobs);

// Item `i`'s cache key (its row in the database has the same name). The hash tag keeps one
// item's keys on one cluster slot.
std::string item_key(std::int64_t i);
// write-behind's dirty set.
inline constexpr std::string_view kDirtySet = "cache:dirty";

}  // namespace redproof::cache
