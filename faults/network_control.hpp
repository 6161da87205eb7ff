// The capability to cut network links between a topology's nodes, which the partition faults
// ask for. Topologies started with --netns provide it: each node lives in its own network
// namespace, and a grudge becomes iptables rules inside the namespaces (see
// driver/topology/namespace_network.hpp); the clients (the harness) are never cut off. Without
// --netns, replicated and sentinel topologies provide it through their peer proxies, for grudges
// that isolate whole nodes.
#pragma once

#include <string>
#include <vector>

#include "faults/partition/grudge.hpp"

namespace redproof {

class NetworkControl {
 public:
  virtual ~NetworkControl() = default;
  // The names a grudge may mention (the servers; a co-located Sentinel shares its node's fate).
  virtual std::vector<std::string> partition_nodes() const = 0;
  // Replaces the links cut now by those of `grudge`. Throws std::runtime_error naming the node
  // and the command that failed.
  virtual void partition(const Grudge& grudge) = 0;
  // Every link whole again. Idempotent, never throws.
  virtual void heal_partition() noexcept = 0;
};

}  // namespace redproof
