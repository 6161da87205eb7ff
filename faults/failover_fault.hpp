// failover (F4 in ../shared/spec/anomalies.md): a failover to a lagging replica. The primary is
// cut off from its replicas (its clients keep writing to it, and it keeps acknowledging), then,
// after a seeded lag, a replica is promoted with REPLICAOF NO ONE, the old primary is made its
// replica and clients move: what the old primary acknowledged during the lag is gone.
//
// With Sentinel managing the topology the fault only cuts the primary off, long enough for the
// Sentinels to notice and fail over by themselves.
#pragma once

#include "faults/primary_isolation_fault.hpp"

namespace redproof {

class FailoverFault : public PrimaryIsolationFault {
 public:
  explicit FailoverFault(ReplicationControl& replication)
      : PrimaryIsolationFault(replication, "heal-link") {}
  std::string name() const override { return "failover"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
};

}  // namespace redproof
