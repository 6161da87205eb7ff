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
  // When an open-loop schedule (--rate) meant it to start; invoke_ns without a schedule.
  std::int64_t intended_ns = 0;
  bool scheduled = false;  // the invoke carried an intended start

  // From the intended start: what a user of a system receiving requests at that rate waits
  // (coordinated omission corrected). Without a schedule, the same as uncorrected.
  std::int64_t latency_ns() const { return complete_ns - intended_ns; }
  // From the moment the request was really sent.
  std::int64_t uncorrected_ns() const { return complete_ns - invoke_ns; }
};

// A send this late after its intended start counts as backlog (the schedule fell behind).
inline constexpr std::int64_t kLateSendNs = 1'000'000;

// In completion order.
std::vector<OperationLatency> operation_latencies(const std::vector<Op>& history);

}  // namespace redproof
