// What the failover and partition-primary faults share: each cuts the current primary off from
// the other servers through the topology's ReplicationControl, and its stop reconnects it and
// its heal removes every isolation. They differ in what happens during the cut (see
// failover_fault.hpp and partition_fault.hpp).
#pragma once

#include <string>

#include "faults/fault.hpp"
#include "faults/replication_control.hpp"

namespace redproof {

class PrimaryIsolationFault : public Fault {
 public:
  FaultAction stop() override;
  void heal() noexcept override;

 protected:
  // `stop_action`: the history's name for the reconnection ("stop-partition").
  PrimaryIsolationFault(ReplicationControl& replication, std::string stop_action);
  // Isolates the current primary and returns its name.
  std::string isolate_primary();

  ReplicationControl& replication_;

 private:
  std::string stop_action_;
  std::string isolated_;
};

}  // namespace redproof
