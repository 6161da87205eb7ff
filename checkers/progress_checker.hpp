// Whether a run did anything at all. A history in which no client operation succeeded proves
// nothing about the pattern: a lock nobody acquired has no double holder, a register nobody
// wrote is trivially linearizable. Without this, such a run (servers unreachable through a
// fault that never healed, a variant on a topology it cannot work on) would pass as valid; like
// Jepsen's stats checker, it makes the verdict unknown instead (exit 3), never a silent 0.
#pragma once

#include "checkers/checker.hpp"

namespace redproof {

class ProgressChecker : public Checker {
 public:
  std::string name() const override { return "progress"; }
  // Valid when at least one client operation completed ok; details count ok/fail/info per f.
  CheckResult check(const std::vector<Op>& history) override;
};

}  // namespace redproof
