#include "core/latency_figures.hpp"

#include <cmath>

namespace redproof {

nlohmann::json latency_figures(const LatencyHistogram& h) {
  return {{"count", h.count()},
          {"min_ns", h.min_ns()},
          {"p50_ns", h.percentile_ns(50)},
          {"p90_ns", h.percentile_ns(90)},
          {"p99_ns", h.percentile_ns(99)},
          {"p999_ns", h.percentile_ns(99.9)},
          {"p9999_ns", h.percentile_ns(99.99)},
          {"max_ns", h.max_ns()},
          {"mean_ns", std::llround(h.mean_ns())},
          {"clamped", h.clamped()}};
}

}  // namespace redproof
