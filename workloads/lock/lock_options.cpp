#include "workloads/lock/lock_options.hpp"

#include <charconv>
#include <stdexcept>

#include "core/duration.hpp"

namespace redproof::lock {

namespace {

std::chrono::milliseconds parse_ms(const std::string& name, const std::string& text) {
  auto d = parse_duration(text);
  if (!d || d->count() <= 0) {
    throw std::invalid_argument("--param " + name + "=" + text +
                                ": expected a positive duration such as 500ms or 1s");
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

int parse_positive_int(const std::string& name, const std::string& text) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) {
    throw std::invalid_argument("--param " + name + "=" + text + ": expected a positive integer");
  }
  return v;
}

}  // namespace

std::chrono::milliseconds LockOptions::validity() const {
  auto drift = std::chrono::milliseconds(static_cast<std::int64_t>(ttl.count() * drift_factor) + 2);
  return ttl - drift;
}

LockOptions parse_lock_options(LockVariant variant,
                               const std::map<std::string, std::string>& params) {
  LockOptions o;
  o.variant = variant;
  for (const auto& [name, value] : params) {
    if (name == "ttl") {
      o.ttl = parse_ms(name, value);
    } else if (name == "hold-min") {
      o.hold_min = parse_ms(name, value);
    } else if (name == "hold-max") {
      o.hold_max = parse_ms(name, value);
    } else if (name == "retry") {
      o.retry = parse_ms(name, value);
    } else if (name == "locks") {
      o.locks = parse_positive_int(name, value);
    } else {
      throw std::invalid_argument("--param " + name + ": the lock workload has no such knob");
    }
  }
  if (o.hold_max < o.hold_min) {
    throw std::invalid_argument("--param hold-max must not be below hold-min");
  }
  if (o.ttl < std::chrono::milliseconds(20)) {
    throw std::invalid_argument("--param ttl: at least 20ms, or no holder can do anything");
  }
  return o;
}

}  // namespace redproof::lock
