// The rate-limit checker (../shared/spec/patterns.md): over- and under-admission of `request`
// operations (key = the limited identity; ok value true admitted, false rejected), reporting
// only what holds for every instant each request could have taken effect.
//
// over-admission: a set S of admitted requests on one key with |S| > bound(s), where
// s = (latest ok in S) - (earliest invoke in S). Each admitted request took effect inside its own
// interval, so S's effects lie within s whatever the true instants were.
//   sliding window (limit L, window W): bound = L when s < W;
//   fixed window: bound = 2L when s < W (L per window, two windows across a boundary); the worst
//     factor above L is reported as the note `boundary-burst` (violation = false);
//   token bucket / GCRA (capacity C, rate r per second): bound = C + r*s.
// under-admission: a rejected request when fewer than L admitted-or-unknown requests overlap
// [invoke - W, completion] (window kinds), or none overlaps [invoke - C/r, completion] (bucket
// kinds). `info` requests count as possibly admitted here and never as admitted above. A fixed
// window (INCR, then PEXPIRE when the count is 1) runs from its opener's INCR to its PEXPIRE + W,
// so for that kind the look-back also reaches the invoke of any admitted request completed
// within it (a possible opener); an opener that never completed extends nothing (that is the
// counter left without a TTL, the throttle for ever this check exists to find).
//
// Per key, the worst window is reported (admissions in it, the bound, the span), with counts.
// Cost: O(n log n) per key (sorts, then two pointers and binary searches).
#pragma once

#include <cstdint>

#include "checkers/checker.hpp"

namespace redproof {

enum class RateLimitKind { kSlidingWindow, kFixedWindow, kTokenBucket };

struct RateLimitOptions {
  RateLimitKind kind = RateLimitKind::kSlidingWindow;
  std::int64_t limit = 10;                 // L (window kinds)
  std::int64_t window_ns = 1'000'000'000;  // W (window kinds)
  double capacity = 10;                    // C (bucket kinds)
  double rate_per_s = 10;                  // r (bucket kinds)
  // Added to the under-admission look-back: Redis expires keys at millisecond resolution, so a
  // window may last this much longer than W without anything being wrong.
  std::int64_t under_slack_ns = 2'000'000;
};

class RateLimitChecker : public Checker {
 public:
  explicit RateLimitChecker(RateLimitOptions options) : options_(options) {}
  std::string name() const override { return "rate-limit"; }
  // anomalies: over-admission, under-admission, boundary-burst (note), at most one of each per
  // key (its worst). details: {"requests", "admitted", "rejected", "unknown", "keys",
  // "over_admission_windows", "under_admission_requests", "anomaly_counts"}.
  CheckResult check(const std::vector<Op>& history) override;

 private:
  RateLimitOptions options_;
};

}  // namespace redproof
