// Per-second figures of a run for the report's charts: completions by outcome and the latency
// percentiles of the operations that completed in each second (ok and fail only, as the latency
// checker counts them).
#pragma once

#include <cstdint>
#include <vector>

#include "core/op.hpp"

namespace redproof {

struct SecondFigures {
  std::int64_t second = 0;  // [second, second + 1) s since the run started, by completion time
  std::uint64_t ok = 0, fail = 0, info = 0;
  std::int64_t p50_ns = 0, p99_ns = 0, max_ns = 0;  // 0 when nothing counted that second
};

// One entry per second from 0 to the last completion, empty seconds included (a stalled
// server shows as a gap at zero, not as a missing point).
std::vector<SecondFigures> per_second_figures(const std::vector<Op>& history);

}  // namespace redproof
