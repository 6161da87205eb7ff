#include "workloads/rate_limit/rate_limit_options.hpp"

#include <stdexcept>

namespace redproof::rate_limit {

namespace {

struct Named {
  Variant variant;
  std::string_view name;
};

constexpr Named kVariants[] = {
    {Variant::kSlidingLogLua, "sliding-log-lua"},
    {Variant::kTokenBucketLua, "token-bucket-lua"},
    {Variant::kGcraLua, "gcra-lua"},
    {Variant::kFixedWindow, "fixed-window"},
    {Variant::kSlidingLog, "sliding-log"},
};

Variant variant_of(const std::string& name) {
  auto v = parse_variant(name);
  if (!v) throw std::invalid_argument("unknown rate-limit variant " + name);
  return *v;
}

}  // namespace

std::optional<Variant> parse_variant(std::string_view name) {
  for (const auto& v : kVariants) {
    if (v.name == name) return v.variant;
  }
  return std::nullopt;
}

std::string_view variant_name(Variant v) {
  for (const auto& n : kVariants) {
    if (n.variant == v) return n.name;
  }
  return "?";
}

bool has_lua(Variant v) {
  return v == Variant::kSlidingLogLua || v == Variant::kTokenBucketLua || v == Variant::kGcraLua;
}

bool is_bucket(Variant v) {
  return v == Variant::kTokenBucketLua || v == Variant::kGcraLua;
}

Settings settings(const std::string& variant, const KnobValues& knobs) {
  Settings s;
  s.variant = variant_of(variant);
  s.limit = knobs.count("limit");
  s.window = knobs.milliseconds("window");
  s.capacity = knobs.count("capacity");
  s.rate = knobs.number("rate");
  s.identities = static_cast<int>(knobs.count("identities"));
  s.arrival = knobs.number("arrival");
  s.burst = knobs.number("burst-at-boundary");
  return s;
}

RateLimitOptions checker_options(const std::string& variant, const KnobValues& knobs) {
  const Settings s = settings(variant, knobs);
  RateLimitOptions o;
  o.kind = is_bucket(s.variant)                 ? RateLimitKind::kTokenBucket
           : s.variant == Variant::kFixedWindow ? RateLimitKind::kFixedWindow
                                                : RateLimitKind::kSlidingWindow;
  o.limit = s.limit;
  o.window_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(s.window).count();
  o.capacity = static_cast<double>(s.capacity);
  o.rate_per_s = s.rate;
  return o;
}

}  // namespace redproof::rate_limit
