#include "faults/partition/grudge.hpp"

#include <algorithm>
#include <stdexcept>

namespace redproof {

Grudge complete_grudge(const std::vector<std::vector<std::string>>& components) {
  Grudge grudge;
  for (std::size_t a = 0; a < components.size(); ++a) {
    for (const auto& node : components[a]) {
      for (std::size_t b = 0; b < components.size(); ++b) {
        if (a == b) continue;
        for (const auto& other : components[b]) {
          if (other != node) grudge[node].insert(other);
        }
      }
    }
  }
  return grudge;
}

Grudge isolate_node(const std::vector<std::string>& nodes, const std::string& victim) {
  return isolate_nodes(nodes, {victim});
}

Grudge isolate_nodes(const std::vector<std::string>& nodes, const std::set<std::string>& isolated) {
  std::vector<std::vector<std::string>> components;
  std::vector<std::string> rest;
  for (const auto& n : nodes) {
    if (isolated.count(n)) {
      components.push_back({n});
    } else {
      rest.push_back(n);
    }
  }
  components.push_back(std::move(rest));
  return complete_grudge(components);
}

std::set<std::string> isolated_nodes(const std::vector<std::string>& nodes, const Grudge& grudge) {
  std::set<std::string> out;
  for (const auto& n : nodes) {
    auto it = grudge.find(n);
    if (it != grudge.end() && it->second.size() + 1 == nodes.size()) out.insert(n);
  }
  return out;
}

PartitionShape parse_partition_shape(const std::string& name) {
  if (name == "random-node") return PartitionShape::kRandomNode;
  if (name == "random-halves") return PartitionShape::kRandomHalves;
  if (name == "majorities-ring") return PartitionShape::kMajoritiesRing;
  if (name == "bridge") return PartitionShape::kBridge;
  throw std::invalid_argument("unknown partition shape '" + name +
                              "' (shapes: random-node, random-halves, majorities-ring, bridge)");
}

std::string partition_shape_name(PartitionShape shape) {
  switch (shape) {
    case PartitionShape::kRandomNode:
      return "random-node";
    case PartitionShape::kRandomHalves:
      return "random-halves";
    case PartitionShape::kMajoritiesRing:
      return "majorities-ring";
    case PartitionShape::kBridge:
      return "bridge";
  }
  return "?";
}

namespace {

void require_nodes(const std::vector<std::string>& nodes, std::size_t at_least,
                   PartitionShape shape) {
  if (nodes.size() < at_least) {
    throw std::invalid_argument("partition " + partition_shape_name(shape) + " needs at least " +
                                std::to_string(at_least) + " nodes, the topology has " +
                                std::to_string(nodes.size()));
  }
}

Grudge majorities_ring(const std::vector<std::string>& ring) {
  const std::size_t n = ring.size();
  const std::size_t majority = n / 2 + 1;
  // The window of `majority` consecutive nodes around node i: `left` before it, the rest after.
  const std::size_t left = (majority - 1) / 2;
  const std::size_t right = majority - 1 - left;
  Grudge grudge;
  for (std::size_t i = 0; i < n; ++i) {
    std::set<std::size_t> sees;
    for (std::size_t d = 0; d <= left; ++d) sees.insert((i + n - d) % n);
    for (std::size_t d = 1; d <= right; ++d) sees.insert((i + d) % n);
    for (std::size_t j = 0; j < n; ++j) {
      if (!sees.count(j)) grudge[ring[i]].insert(ring[j]);
    }
  }
  return grudge;
}

}  // namespace

Grudge partition_grudge(PartitionShape shape, std::vector<std::string> nodes, Random& rng) {
  std::shuffle(nodes.begin(), nodes.end(), rng.engine());
  const auto half = static_cast<std::ptrdiff_t>(nodes.size() / 2);
  switch (shape) {
    case PartitionShape::kRandomNode:
      require_nodes(nodes, 2, shape);
      return isolate_node(nodes, nodes.front());
    case PartitionShape::kRandomHalves:
      require_nodes(nodes, 2, shape);
      return complete_grudge(
          {{nodes.begin(), nodes.begin() + half}, {nodes.begin() + half, nodes.end()}});
    case PartitionShape::kMajoritiesRing:
      require_nodes(nodes, 3, shape);
      return majorities_ring(nodes);
    case PartitionShape::kBridge: {
      require_nodes(nodes, 3, shape);
      // Halves a | b, and the first node of b (the bridge) sees everyone.
      std::vector<std::string> a(nodes.begin(), nodes.begin() + half);
      std::vector<std::string> b(nodes.begin() + half + 1, nodes.end());
      return complete_grudge({a, b});
    }
  }
  return {};
}

nlohmann::json grudge_to_json(const Grudge& grudge) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [node, drops] : grudge) {
    out[node] = nlohmann::json(std::vector<std::string>(drops.begin(), drops.end()));
  }
  return out;
}

}  // namespace redproof
