// partition-primary (F5 in ../shared/spec/anomalies.md): the current primary is cut off from
// the other servers, the Sentinels and the clients on the majority side, while the clients
// beside it keep talking to it. With Sentinel, the majority elects a new primary, and on heal
// the old one is demoted. Implemented with the peer proxies of the topology (a black hole both
// ways), so it needs neither root nor namespaces.
#pragma once

#include "faults/primary_isolation_fault.hpp"

namespace redproof {

class PartitionFault : public PrimaryIsolationFault {
 public:
  explicit PartitionFault(ReplicationControl& replication)
      : PrimaryIsolationFault(replication, "stop-partition") {}
  std::string name() const override { return "partition-primary"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
};

}  // namespace redproof
