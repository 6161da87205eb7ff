// lock-stuck (../shared/spec/patterns.md): a final `inspect` finds a lock held with no expiry
// (PTTL -1), so no one can ever acquire it again: the SETNX-then-EXPIRE crash. Certain from the
// final read alone, since nothing the harness runs after it would remove the key. Reported with
// the owner left behind, the acquire that left it, and how long no acquisition succeeded.
#pragma once

#include "checkers/checker.hpp"

namespace redproof {

class LockStuckChecker : public Checker {
 public:
  std::string name() const override { return "lock-stuck"; }
  CheckResult check(const std::vector<Op>& history) override;
};

}  // namespace redproof
