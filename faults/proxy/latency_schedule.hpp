// When a delayed chunk may be released. A latency toxic delays each chunk by its own arrival
// time plus a sampled delay, but TCP is a byte stream: a later chunk with a smaller jitter sample
// must not overtake an earlier one, so a release is never earlier than the previous release.
// Pure arithmetic, tested without sockets.
#pragma once

#include <algorithm>

#include "core/duration.hpp"
#include "core/random.hpp"

namespace redproof::proxy {

class LatencySchedule {
 public:
  // A delay uniform in [latency - jitter, latency + jitter], never negative.
  static Nanos sample(Nanos latency, Nanos jitter, Random& rng) {
    if (jitter.count() <= 0) return std::max(latency, Nanos(0));
    Nanos d = latency + Nanos(rng.uniform(-jitter.count(), jitter.count()));
    return std::max(d, Nanos(0));
  }

  // The release time of a chunk that arrived at `arrival` and is delayed by `delay`:
  // arrival + delay, or the previous release if that is later (chunks are never reordered).
  Nanos release(Nanos arrival, Nanos delay) {
    last_ = std::max(arrival + delay, last_);
    return last_;
  }

  Nanos last_release() const { return last_; }

 private:
  Nanos last_{0};
};

}  // namespace redproof::proxy
