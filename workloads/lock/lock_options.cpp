#include "workloads/lock/lock_options.hpp"

#include <stdexcept>

namespace redproof::lock {

std::chrono::milliseconds LockOptions::validity() const {
  auto drift = std::chrono::milliseconds(static_cast<std::int64_t>(ttl.count() * drift_factor) + 2);
  return ttl - drift;
}

LockOptions lock_options(LockVariant variant, const KnobValues& knobs) {
  LockOptions o;
  o.variant = variant;
  o.ttl = knobs.milliseconds("ttl");
  o.hold_min = knobs.milliseconds("hold-min");
  o.hold_max = knobs.milliseconds("hold-max");
  o.retry = knobs.milliseconds("retry");
  o.locks = static_cast<int>(knobs.count("locks"));
  if (o.hold_max < o.hold_min) {
    throw std::invalid_argument("--param hold-max must not be below hold-min");
  }
  return o;
}

}  // namespace redproof::lock
