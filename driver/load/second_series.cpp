#include "driver/load/second_series.hpp"

#include <algorithm>

namespace redproof::load {

void SecondSeries::contribute(std::int64_t second, const LatencyHistogram& latency,
                              const SecondCounters& c) {
  std::lock_guard lock(mu_);
  Slot& slot = open_[second];
  slot.latency.merge(latency);
  slot.counters.completed += c.completed;
  slot.counters.errors += c.errors;
  slot.counters.timeouts += c.timeouts;
  slot.counters.connection_errors += c.connection_errors;
  slot.counters.late_sends += c.late_sends;
  // Once every thread has handed a second over it is final: keep its figures, drop its
  // histogram, so memory stays bounded however long the run.
  if (++slot.contributions == threads_) {
    finalize_locked(second, slot);
    open_.erase(second);
  }
}

void SecondSeries::finalize_locked(std::int64_t second, Slot& slot) {
  SecondFigures f;
  f.second = second;
  f.completed = slot.counters.completed;
  f.errors = slot.counters.errors;
  f.timeouts = slot.counters.timeouts;
  f.connection_errors = slot.counters.connection_errors;
  f.late_sends = slot.counters.late_sends;
  if (slot.latency.count() > 0) {
    f.p50_ns = slot.latency.percentile_ns(50);
    f.p90_ns = slot.latency.percentile_ns(90);
    f.p99_ns = slot.latency.percentile_ns(99);
    f.p999_ns = slot.latency.percentile_ns(99.9);
    f.max_ns = slot.latency.max_ns();
  }
  done_.push_back(f);
}

std::vector<SecondFigures> SecondSeries::finish() {
  std::lock_guard lock(mu_);
  for (auto& [second, slot] : open_) finalize_locked(second, slot);
  open_.clear();
  std::sort(done_.begin(), done_.end(),
            [](const SecondFigures& a, const SecondFigures& b) { return a.second < b.second; });
  return done_;
}

void SecondAccumulator::hand_over() {
  series_.contribute(current_, latency_, counters_);
  latency_.reset();
  counters_ = {};
  ++current_;
}

}  // namespace redproof::load
