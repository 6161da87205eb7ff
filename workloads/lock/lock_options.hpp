// The lock workload's knobs (declared in lock_workload.cpp's table), in the types its client and
// generator use.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "workloads/user_script.hpp"

#include "workloads/knobs.hpp"
#include "workloads/lock/lock_variant.hpp"

namespace redproof::lock {

struct LockOptions {
  LockVariant variant = LockVariant::kLuaRelease;
  std::chrono::milliseconds ttl{500};
  std::chrono::milliseconds hold_min{50};  // how long a holder works before writing
  std::chrono::milliseconds hold_max{300};
  std::chrono::milliseconds retry{10};  // wait after a busy lock before trying again
  int locks = 1;                        // lock keys the clients contend for
  // watchdog: how long a holder works, renewing its lease every ttl/3 meanwhile.
  std::chrono::milliseconds work{1000};
  // Redlock's clock-drift allowance: validity = ttl - (ttl * drift_factor + 2 ms).
  double drift_factor = 0.01;
  // --script: the user's release script in place of our compare-and-delete.
  std::optional<UserScript> release_script;

  std::chrono::milliseconds validity() const;
  std::chrono::milliseconds drift() const;
  std::chrono::milliseconds renew_every() const { return ttl / 3; }
};

// Throws std::invalid_argument for knobs that cannot go together (hold-max below hold-min).
LockOptions lock_options(LockVariant variant, const KnobValues& knobs);

}  // namespace redproof::lock
