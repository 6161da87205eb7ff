// How long a worker waits before reconnecting after its connection failed mid-request (an `info`):
// exponential from 10 ms to 500 ms with jitter, reset by the next operation that completes. Without
// it, a proxy resetting every connection turns a third of a run into unknown outcomes, since each
// retry meets the reset at once. Pure and seeded, so tests drive it without a clock.
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/random.hpp"

namespace redproof {

class ReconnectBackoff {
 public:
  static constexpr std::int64_t kFirstNs = 10'000'000;
  static constexpr std::int64_t kMostNs = 500'000'000;

  explicit ReconnectBackoff(Random rng) : rng_(rng) {}

  // The next wait: uniform in [d/2, d] for the current step d, which then doubles.
  std::int64_t next() {
    const std::int64_t d = step_;
    step_ = std::min(step_ * 2, kMostNs);
    return rng_.uniform(d / 2, d);
  }
  void reset() { step_ = kFirstNs; }

 private:
  Random rng_;
  std::int64_t step_ = kFirstNs;
};

}  // namespace redproof
