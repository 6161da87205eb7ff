#include "workloads/stampede/stampede_options.hpp"

#include <fmt/format.h>

namespace redproof::stampede {

namespace {

constexpr std::pair<StampedeVariant, std::string_view> kNames[] = {
    {StampedeVariant::kMutex, "mutex"},
    {StampedeVariant::kXfetch, "xfetch"},
    {StampedeVariant::kNone, "none"},
};

}  // namespace

std::optional<StampedeVariant> parse_stampede_variant(std::string_view name) {
  for (const auto& [v, n] : kNames) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string_view stampede_variant_name(StampedeVariant v) {
  for (const auto& [variant, n] : kNames) {
    if (variant == v) return n;
  }
  return "?";
}

StampedeOptions stampede_options(StampedeVariant variant, const KnobValues& knobs) {
  StampedeOptions o;
  o.variant = variant;
  o.keys = knobs.count("keys");
  o.ttl = knobs.milliseconds("ttl");
  o.db_latency = knobs.milliseconds("db-latency");
  o.lock_ttl = knobs.milliseconds("lock-ttl");
  o.wait = knobs.milliseconds("wait");
  o.think = knobs.milliseconds("think");
  o.beta = knobs.number("beta");
  return o;
}

std::string hot_key(std::int64_t i) {
  return fmt::format("hot:{{{}}}", i);
}

}  // namespace redproof::stampede
