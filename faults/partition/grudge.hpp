// Network partitions as data (Jepsen's "grudge"): for each node, the nodes whose packets it
// drops. The shapes are computed here, with no I/O, from the node names and a seeded Random;
// applying a grudge (iptables inside network namespaces, or the proxies' black hole) is the
// topology's job (faults/network_control.hpp). Keeping the two apart lets the shapes be unit
// tested exactly and lets one shape be applied by different mechanisms.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/random.hpp"

namespace redproof {

// node -> the nodes it drops traffic from. Nodes that drop nothing are absent. A grudge need
// not be symmetric (majorities-ring with an even majority is not).
using Grudge = std::map<std::string, std::set<std::string>>;

// Every node drops every node outside its own component (a node in no component drops nothing
// and is dropped by nobody).
Grudge complete_grudge(const std::vector<std::vector<std::string>>& components);

// `victim` alone on one side, every other node on the other.
Grudge isolate_node(const std::vector<std::string>& nodes, const std::string& victim);
// Each of `isolated` alone, every other node of `nodes` together.
Grudge isolate_nodes(const std::vector<std::string>& nodes, const std::set<std::string>& isolated);
// The nodes of `nodes` that `grudge` cuts off from every other node.
std::set<std::string> isolated_nodes(const std::vector<std::string>& nodes, const Grudge& grudge);

// The shapes the partition faults draw, each from a shuffle of `nodes` by `rng`:
//  random-node      one node cut off from the rest
//  random-halves    two halves, the smaller first (2 | 3 of five)
//  majorities-ring  nodes on a ring, each sees the majority centred on itself and nothing else:
//                   every node is in a majority, no two nodes agree on which (five nodes: each
//                   sees its two neighbours)
//  bridge           two halves that do not see each other, and one node that sees both
enum class PartitionShape { kRandomNode, kRandomHalves, kMajoritiesRing, kBridge };

// "random-node", ...; throws std::invalid_argument naming the shapes for anything else.
PartitionShape parse_partition_shape(const std::string& name);
std::string partition_shape_name(PartitionShape shape);

// Throws std::invalid_argument when `nodes` is too small for the shape (a bridge needs three).
Grudge partition_grudge(PartitionShape shape, std::vector<std::string> nodes, Random& rng);

// For the history: {"n1": ["n3"], "n3": ["n1"]}.
nlohmann::json grudge_to_json(const Grudge& grudge);

}  // namespace redproof
