// partition-random-node, partition-random-halves, partition-majorities-ring, partition-bridge:
// Jepsen's partition shapes between the servers of a --netns topology. Each start draws a new
// grudge of its shape from the seed (faults/partition/grudge.hpp), records it in the history,
// and has the topology apply it (iptables in the namespaces); stop and heal remove it.
//
// On Redis these make replicas lose their primary, Sentinels disagree and fail over, and
// cluster masters lose their majority; the clients, on the harness's side, reach every node
// throughout, as clients of a partitioned deployment often do.
#pragma once

#include "faults/fault.hpp"
#include "faults/network_control.hpp"
#include "faults/partition/grudge.hpp"

namespace redproof {

class PartitionShapeFault : public Fault {
 public:
  PartitionShapeFault(PartitionShape shape, NetworkControl& network);
  std::string name() const override { return "partition-" + partition_shape_name(shape_); }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override;

 private:
  PartitionShape shape_;
  NetworkControl& network_;
  bool active_ = false;
};

}  // namespace redproof
