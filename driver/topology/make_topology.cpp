#include <stdexcept>

#include "driver/topology/cluster_topology.hpp"
#include "driver/topology/external_sentinel_topology.hpp"
#include "driver/topology/external_topology.hpp"
#include "driver/topology/local_topology.hpp"
#include "driver/topology/replicated_topology.hpp"
#include "driver/topology/sentinel_topology.hpp"

namespace redproof {

std::unique_ptr<Topology> make_topology(const TopologyOptions& options) {
  if (!options.target.empty()) {
    TargetAddress target = parse_target(options.target);
    if (target.kind == TargetAddress::Kind::kSentinel) {
      return std::make_unique<ExternalSentinelTopology>(std::move(target), options.target_security,
                                                        options.target_allow_remote);
    }
    return std::make_unique<ExternalTopology>(std::move(target), options.target_security,
                                              options.target_allow_remote);
  }
  if (options.kind == "single") return std::make_unique<LocalTopology>(options, 1);
  if (options.kind == "cluster") return std::make_unique<ClusterTopology>(options);
  if (options.kind == "redlock") return std::make_unique<LocalTopology>(options, 5);
  if (options.kind == "replicated") return std::make_unique<ReplicatedTopology>(options, 2);
  if (options.kind == "sentinel") return std::make_unique<SentinelTopology>(options);
  throw std::invalid_argument("--topology " + options.kind +
                              ": not available in this build (available: single, redlock, "
                              "replicated, sentinel, cluster, or --target)");
}

}  // namespace redproof
