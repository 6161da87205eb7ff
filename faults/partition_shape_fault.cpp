#include "faults/partition_shape_fault.hpp"

namespace redproof {

PartitionShapeFault::PartitionShapeFault(PartitionShape shape, NetworkControl& network)
    : shape_(shape), network_(network) {}

std::chrono::milliseconds PartitionShapeFault::duration(Random& rng) {
  // Long enough for Sentinel (down-after 1 s) and a cluster (node timeout 2 s) to react.
  return std::chrono::milliseconds(rng.uniform(4000, 7000));
}

FaultAction PartitionShapeFault::start(Random& rng) {
  const Grudge grudge = partition_grudge(shape_, network_.partition_nodes(), rng);
  active_ = true;  // before applying: heal() must undo a half-applied grudge
  network_.partition(grudge);
  return {"start-partition",
          {{"shape", partition_shape_name(shape_)}, {"grudge", grudge_to_json(grudge)}}};
}

FaultAction PartitionShapeFault::stop() {
  if (!active_) return {"stop-partition", nullptr, false};
  network_.heal_partition();
  active_ = false;
  return {"stop-partition", {{"shape", partition_shape_name(shape_)}}};
}

void PartitionShapeFault::heal() noexcept {
  network_.heal_partition();
  active_ = false;
}

}  // namespace redproof
