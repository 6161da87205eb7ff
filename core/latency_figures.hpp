// The latency figures every report shows (count, min, p50, p90, p99, p99.9, p99.99, max, mean,
// clamped), as JSON with integer nanoseconds only, so the output is strict JSON whatever the
// histogram holds. Shared by results.json and `redproof bench --json`.
#pragma once

#include <nlohmann/json.hpp>

#include "core/latency_histogram.hpp"

namespace redproof {

nlohmann::json latency_figures(const LatencyHistogram& h);

}  // namespace redproof
