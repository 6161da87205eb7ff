// Wall time and user CPU time of a measured step, and the median of several. The machine is shared
// (several engineers compiling on two cores), so wall time alone says more about the load than
// about the code: user CPU time (getrusage, every thread of the process) is the figure that stays
// put, and the benches print both.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "core/cpu_time.hpp"

namespace redproof::bench {

struct RunTiming {
  double wall_seconds = 0;
  double user_seconds = 0;
  double system_seconds = 0;  // page faults of a large history's memory show here
};

// Runs `step` once and returns how long it took.
template <class Step>
RunTiming time_run(Step&& step) {
  const auto wall_start = std::chrono::steady_clock::now();
  const CpuTime cpu_start = process_cpu_time();
  step();
  const CpuTime used = process_cpu_time() - cpu_start;
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count(),
          used.user_seconds, used.system_seconds};
}

// The median of each figure, separately.
inline RunTiming median_of(std::vector<RunTiming> runs) {
  if (runs.empty()) return {};
  const std::size_t mid = runs.size() / 2;
  auto median = [&](double RunTiming::*field) {
    std::vector<double> v;
    for (const RunTiming& r : runs) v.push_back(r.*field);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    return v[mid];
  };
  return {median(&RunTiming::wall_seconds), median(&RunTiming::user_seconds),
          median(&RunTiming::system_seconds)};
}

// "1.234 s wall, 1.100 s user CPU, 0.200 s system CPU"
inline void print_timing(const char* prefix, RunTiming t, const char* suffix) {
  std::printf("%s%.3f s wall, %.3f s user CPU, %.3f s system CPU%s\n", prefix, t.wall_seconds,
              t.user_seconds, t.system_seconds, suffix);
}

}  // namespace redproof::bench
