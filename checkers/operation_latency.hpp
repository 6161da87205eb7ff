// Each client operation's latency, paired from the history (invoke -> its completion on the same
// process). Operations still in flight at the end have no latency and are left out. Shared by
// the latency SLO checker and the report's time series.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/op.hpp"

namespace redproof {

struct OperationLatency {
  std::int64_t invoke_ns = 0;
  std::int64_t complete_ns = 0;
  OpType outcome = OpType::kOk;  // kOk, kFail or kInfo
  std::string f;

  std::int64_t latency_ns() const { return complete_ns - invoke_ns; }
};

// In completion order.
std::vector<OperationLatency> operation_latencies(const std::vector<Op>& history);

}  // namespace redproof
