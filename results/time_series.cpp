#include "results/time_series.hpp"

#include <algorithm>

#include "checkers/latency_slo.hpp"
#include "checkers/operation_latency.hpp"

namespace redproof {

std::vector<SecondFigures> per_second_figures(const std::vector<Op>& history) {
  std::vector<OperationLatency> ops = operation_latencies(history);
  std::vector<SecondFigures> out;
  if (ops.empty()) return out;
  std::stable_sort(ops.begin(), ops.end(),
                   [](const auto& a, const auto& b) { return a.complete_ns < b.complete_ns; });
  const std::int64_t last = std::max<std::int64_t>(0, ops.back().complete_ns / 1'000'000'000);
  out.resize(static_cast<std::size_t>(last) + 1);
  for (std::size_t s = 0; s < out.size(); ++s) out[s].second = static_cast<std::int64_t>(s);

  // One histogram, reset per second: a histogram per second would cost 136 KiB each.
  LatencyHistogram h;
  std::size_t i = 0;
  for (auto& sec : out) {
    h.reset();
    const std::int64_t end_ns = (sec.second + 1) * 1'000'000'000;
    for (; i < ops.size() && ops[i].complete_ns < end_ns; ++i) {
      const auto& op = ops[i];
      if (op.outcome == OpType::kOk) ++sec.ok;
      if (op.outcome == OpType::kFail) ++sec.fail;
      if (op.outcome == OpType::kInfo) ++sec.info;
      if (counts_toward_latency(op)) h.record_ns(op.latency_ns());
    }
    sec.p50_ns = h.percentile_ns(50);
    sec.p99_ns = h.percentile_ns(99);
    sec.max_ns = h.max_ns();
  }
  return out;
}

}  // namespace redproof
