#include "faults/failover_fault.hpp"

#include <stdexcept>
#include <thread>

namespace redproof {

using std::chrono::milliseconds;

std::chrono::milliseconds FailoverFault::duration(Random& rng) {
  // Sentinel needs down-after (1 s) plus an election and a promotion: give it time.
  if (replication_.managed_failover()) return milliseconds(rng.uniform(5000, 7000));
  return milliseconds(rng.uniform(500, 1500));
}

FaultAction FailoverFault::start(Random& rng) {
  auto replicas = replication_.replicas();
  if (replicas.empty()) throw std::runtime_error("failover: the topology has no replica");
  const std::string from = isolate_primary();
  if (replication_.managed_failover()) {
    return {"failover", {{"isolated", from}, {"by", "sentinel"}}};
  }
  const auto lag = milliseconds(rng.uniform(200, 600));
  std::this_thread::sleep_for(lag);  // the old primary acknowledges writes nobody else sees
  const std::string& to = replicas[rng.uniform(0, static_cast<std::int64_t>(replicas.size()) - 1)];
  replication_.promote(to);
  return {"failover", {{"from", from}, {"to", to}, {"lag_ms", lag.count()}}};
}

}  // namespace redproof
