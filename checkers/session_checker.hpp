// session (../shared/spec/patterns.md): sessions kept as hashes with a sliding TTL.
//   resurrected-session: a refresh invoked after a logout's ok returned data, and no login of
//     that session could have taken effect between the logout and the refresh;
//   forced-logout: a refresh returned null although it completed before X's invoke + T, where X
//     is the login or data-returning refresh with the latest invoke among those that completed
//     ok before this refresh began, and no logout could have taken effect since X.
// Only what holds for every instant each operation could have taken effect: "before" is history
// order (a completion recorded before an invoke was), an info or unfinished login or logout may
// take effect at any moment after its invoke. T is the smallest ttl_ms of any TTL-setting
// operation that could have taken effect after X (any later refresh may have set a shorter TTL);
// operations without ttl_ms fall back to the `ttl` knob.
#pragma once

#include <cstdint>

#include "checkers/checker.hpp"

namespace redproof {

class SessionChecker : public Checker {
 public:
  explicit SessionChecker(std::int64_t default_ttl_ms) : default_ttl_ms_(default_ttl_ms) {}
  std::string name() const override { return "session"; }
  CheckResult check(const std::vector<Op>& history) override;

 private:
  std::int64_t default_ttl_ms_;
};

}  // namespace redproof
