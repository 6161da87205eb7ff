// Per-second figures gathered from several event-loop threads. Each thread accumulates its
// current second alone (no locking on the hot path) and hands the second over when its clock
// moves past it; percentiles come from the merged histogram, so they are true percentiles over
// all threads, not averages of per-thread ones.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "core/latency_histogram.hpp"
#include "driver/load/load_result.hpp"

namespace redproof::load {

struct SecondCounters {
  std::uint64_t completed = 0, errors = 0, timeouts = 0, connection_errors = 0, late_sends = 0;
};

class SecondSeries {
 public:
  explicit SecondSeries(int threads) : threads_(threads) {}
  // One thread's figures for `second`. Each thread contributes each second at most once.
  void contribute(std::int64_t second, const LatencyHistogram& latency,
                  const SecondCounters& counters);
  // Every second contributed so far, in order (call after the threads have finished).
  std::vector<SecondFigures> finish();

 private:
  struct Slot {
    LatencyHistogram latency;
    SecondCounters counters;
    int contributions = 0;
  };
  void finalize_locked(std::int64_t second, Slot& slot);

  int threads_;
  std::mutex mu_;
  std::map<std::int64_t, Slot> open_;
  std::vector<SecondFigures> done_;
};

// The thread-local side: the current second's histogram and counters.
class SecondAccumulator {
 public:
  explicit SecondAccumulator(SecondSeries& series) : series_(series) {}
  // Moves to `second`, handing over every earlier second (empty ones included).
  void advance(std::int64_t second) {
    while (current_ < second) hand_over();
  }
  LatencyHistogram& latency() { return latency_; }
  SecondCounters& counters() { return counters_; }
  void finish() { hand_over(); }

 private:
  void hand_over();
  SecondSeries& series_;
  std::int64_t current_ = 0;
  LatencyHistogram latency_;
  SecondCounters counters_;
};

}  // namespace redproof::load
