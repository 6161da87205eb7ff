// Latency over time as Jepsen draws it: each operation a point at its completion time, its latency
// on a log scale, coloured by outcome (ok, fail, info), with the per-second p50 and p99 as lines
// and fault periods shaded and labelled. A run of a million operations still opens at once: at
// most a few thousand points are drawn, chosen by a fixed stride, and every outlier (above the
// run's p99) is always drawn, so sampling never hides the slow operations.
#pragma once

#include <string>
#include <vector>

#include "checkers/fault_windows.hpp"
#include "checkers/operation_latency.hpp"

namespace redproof {

inline constexpr std::size_t kScatterPoints = 4000;

// The operations to draw: all of them when few, otherwise a stride through them plus every one
// whose latency is above `outlier_ns`. In completion order.
std::vector<const OperationLatency*> scatter_sample(const std::vector<OperationLatency>& ops,
                                                    std::int64_t outlier_ns,
                                                    std::size_t budget = kScatterPoints);

// An inline SVG (no script, no external reference); empty when no operation completed.
std::string latency_scatter_svg(const std::vector<OperationLatency>& ops,
                                const std::vector<FaultWindow>& windows);

}  // namespace redproof
