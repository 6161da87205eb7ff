// What `run` and `bench --fault` share in setting faults up: resolving their names, the
// topology they need, what they cannot do with --target or without --netns, and what they may
// act on once the topology's servers are up.
#pragma once

#include <string>
#include <vector>

#include "driver/topology/topology.hpp"
#include "faults/fault_registry.hpp"

namespace redproof {

// The faults named, without "none". Throws std::invalid_argument naming an unknown fault and
// listing the available ones.
std::vector<const FaultInfo*> resolve_faults(const std::vector<std::string>& names);

// `kind` ("single" when nothing else asks for more), widened to what the faults need: replicas
// for failover, Sentinel for a partition.
std::string topology_for_faults(std::string kind, const std::vector<const FaultInfo*>& faults);

// Whether any of the faults needs the harness's proxy in front of each server.
bool faults_need_proxy(const std::vector<const FaultInfo*>& faults);

// Throws std::invalid_argument when a fault needs --netns and `netns` is off, or the harness's
// proxy and `target` (the servers are not the harness's).
void check_fault_needs(const std::vector<const FaultInfo*>& faults, bool netns, bool target);

// What faults may act on in `topology` (servers, proxies, replication, network); the caller
// adds what its clients offer (hooks).
FaultContext topology_fault_context(Topology& topology);

}  // namespace redproof
