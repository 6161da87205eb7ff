#include "workloads/cache/cache_options.hpp"

#include <fmt/format.h>

namespace redproof::cache {

namespace {

constexpr std::pair<CacheVariant, std::string_view> kNames[] = {
    {CacheVariant::kCacheAside, "cache-aside"},
    {CacheVariant::kCacheAsideVersioned, "cache-aside-versioned"},
    {CacheVariant::kReadThrough, "read-through"},
    {CacheVariant::kWriteThrough, "write-through"},
    {CacheVariant::kWriteBehind, "write-behind"},
};

}  // namespace

std::optional<CacheVariant> parse_cache_variant(std::string_view name) {
  for (const auto& [v, n] : kNames) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string_view cache_variant_name(CacheVariant v) {
  for (const auto& [variant, n] : kNames) {
    if (variant == v) return n;
  }
  return "?";
}

CacheOptions cache_options(CacheVariant variant, const KnobValues& knobs) {
  CacheOptions o;
  o.variant = variant;
  o.items = knobs.count("items");
  o.zipf = knobs.number("zipf");
  o.write_ratio = knobs.number("write-ratio");
  o.ttl = knobs.milliseconds("ttl");
  o.db_latency = knobs.milliseconds("db-latency");
  o.think = knobs.milliseconds("think");
  o.flush_interval = knobs.milliseconds("flush-interval");
  o.max_lag = knobs.milliseconds("max-lag");
  o.pause = knobs.milliseconds("pause");
  return o;
}

std::string item_key(std::int64_t i) {
  return fmt::format("item:{{{}}}", i);
}

}  // namespace redproof::cache
