#include "faults/partition_fault.hpp"

namespace redproof {

std::chrono::milliseconds PartitionFault::duration(Random& rng) {
  // Long enough for Sentinel (down-after 1 s, then an election and a promotion) to act.
  return std::chrono::milliseconds(rng.uniform(5000, 7000));
}

FaultAction PartitionFault::start(Random&) {
  const std::string isolated = isolate_primary();
  nlohmann::json others = replication_.replicas();
  return {"start-partition", {{"isolated", {isolated}}, {"from", others}}};
}

}  // namespace redproof
