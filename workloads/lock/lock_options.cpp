#include "workloads/lock/lock_options.hpp"

#include <stdexcept>

namespace redproof::lock {

// Redlock's clock-drift allowance: 1% of the TTL plus 2 ms.
std::chrono::milliseconds LockOptions::drift() const {
  return std::chrono::milliseconds(static_cast<std::int64_t>(ttl.count() * drift_factor) + 2);
}

std::chrono::milliseconds LockOptions::validity() const {
  return ttl - drift();
}

LockOptions lock_options(LockVariant variant, const KnobValues& knobs) {
  LockOptions o;
  o.variant = variant;
  o.ttl = knobs.milliseconds("ttl");
  o.hold_min = knobs.milliseconds("hold-min");
  o.hold_max = knobs.milliseconds("hold-max");
  o.retry = knobs.milliseconds("retry");
  o.locks = static_cast<int>(knobs.count("locks"));
  o.work = knobs.milliseconds("work");
  if (o.hold_max < o.hold_min) {
    throw std::invalid_argument("--param hold-max must not be below hold-min");
  }
  return o;
}

}  // namespace redproof::lock
