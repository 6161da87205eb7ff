// What a load run measured. Collecting (load_engine) and presenting (bench_output) are separate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/latency_histogram.hpp"

namespace redproof::load {

// One second of the run, by completion time.
struct SecondFigures {
  std::int64_t second = 0;
  std::uint64_t completed = 0;
  std::uint64_t errors = 0;             // error replies
  std::uint64_t timeouts = 0;           // requests given up on
  std::uint64_t connection_errors = 0;  // failed connects and dropped connections
  std::uint64_t late_sends = 0;         // sent ≥ 1 ms after their intended time
  std::int64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, max_ns = 0;  // corrected
};

struct LoadResult {
  // Latency from each request's intended start (coordinated omission corrected) and from when
  // it was actually sent. They are equal in closed loop.
  LatencyHistogram corrected;
  LatencyHistogram uncorrected;
  std::uint64_t sent = 0;
  std::uint64_t completed = 0;  // replies received (including error replies)
  std::uint64_t error_replies = 0;
  std::uint64_t failed = 0;          // pattern operations answered "fail": definitely not applied
  std::uint64_t timeouts = 0;        // in flight when the request time-out struck
  std::uint64_t lost_in_flight = 0;  // in flight when a connection dropped (outcome unknown)
  std::uint64_t connection_errors = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t late_sends = 0;  // backlog: due, but sent ≥ 1 ms late
  std::uint64_t unsent = 0;      // due before the end but never sent (open loop)
  double wall_seconds = 0;
  double cpu_user_seconds = 0;
  double cpu_system_seconds = 0;
  int threads = 1;
  std::vector<SecondFigures> series;
  // Corrected latency by LoadProgress::fault_window at the answer: [0] outside every window,
  // [k + 1] inside window k. Empty when no window was ever opened.
  std::vector<LatencyHistogram> by_window;
  std::vector<std::string> warnings;

  double ops_per_second() const { return wall_seconds > 0 ? completed / wall_seconds : 0; }
  double cpu_us_per_op() const {
    return completed ? (cpu_user_seconds + cpu_system_seconds) * 1e6 / completed : 0;
  }
};

}  // namespace redproof::load
