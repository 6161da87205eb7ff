#include "checkers/operation_latency.hpp"

#include <unordered_map>

namespace redproof {

std::vector<OperationLatency> operation_latencies(const std::vector<Op>& history) {
  std::vector<OperationLatency> out;
  out.reserve(history.size() / 2);
  std::unordered_map<std::int64_t, const Op*> in_flight;
  for (const Op& op : history) {
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      in_flight[op.process] = &op;
      continue;
    }
    auto it = in_flight.find(op.process);
    if (it == in_flight.end()) continue;
    const Op& invoke = *it->second;
    const bool scheduled = invoke.intended >= 0;
    out.push_back({invoke.time, op.time, op.type, op.f, scheduled ? invoke.intended : invoke.time,
                   scheduled});
    in_flight.erase(it);
  }
  return out;
}

}  // namespace redproof
