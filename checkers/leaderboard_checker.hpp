// leaderboard (../shared/spec/patterns.md): positive increments (ZINCRBY) of members' scores.
//   lost-increment: a member's score in the board's final read is below the sum of its
//     increments that completed ok before that read began;
//   double-count: above the sum of every increment that may have taken effect before the read
//     ended (ok, info or unfinished, invoked before its completion);
//   impossible-score: a `top` (or an earlier `read`) shows a score outside those same bounds at
//     its own interval.
// "Before" is history order, so a bound holds for every instant each increment could have taken
// effect. The final read is the board's last ok `read`.
#pragma once

#include "checkers/checker.hpp"

namespace redproof {

class LeaderboardChecker : public Checker {
 public:
  std::string name() const override { return "leaderboard"; }
  CheckResult check(const std::vector<Op>& history) override;
};

}  // namespace redproof
