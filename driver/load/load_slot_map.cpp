#include "driver/load/load_slot_map.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>

#include "redis/cluster_routing.hpp"

namespace redproof::load {

namespace {

[[noreturn]] void malformed(const std::string& what) {
  throw std::invalid_argument("CLUSTER SLOTS reply: " + what);
}

std::int64_t integer_at(const redis::Reply& entry, std::size_t i, const std::string& where) {
  if (entry.elements.size() <= i || entry.elements[i].type != redis::Reply::Type::kInteger) {
    malformed(where + ": element " + std::to_string(i) + " is not an integer");
  }
  return entry.elements[i].integer;
}

// Node `i` of a slot range (2: its master, 3 on: replicas): [host, port, id, ...].
redis::Endpoint node_at(const redis::Reply& entry, std::size_t i, const redis::Endpoint& asked,
                        const std::string& where) {
  const std::string what = where + (i == 2 ? ": master" : ": replica");
  if (entry.elements[i].type != redis::Reply::Type::kArray) malformed(what + " is not an array");
  const redis::Reply& node = entry.elements[i];
  if (node.elements.size() < 2 || node.elements[0].type != redis::Reply::Type::kString) {
    malformed(what + " node without host and port");
  }
  const std::int64_t port = integer_at(node, 1, what);
  if (port < 1 || port > 65535) malformed(what + " port " + std::to_string(port));
  redis::Endpoint e;
  e.host = node.elements[0].str.empty() ? asked.host : node.elements[0].str;
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

int add_once(std::vector<redis::Endpoint>& nodes, const redis::Endpoint& e) {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i] == e) return static_cast<int>(i);
  }
  nodes.push_back(e);
  return static_cast<int>(nodes.size() - 1);
}

}  // namespace

SlotMap::SlotMap(std::vector<redis::Endpoint> nodes, std::size_t masters)
    : nodes_(std::move(nodes)),
      masters_(masters),
      owners_(std::make_unique<std::atomic<std::int16_t>[]>(redis::kClusterSlots)) {
  for (std::size_t s = 0; s < redis::kClusterSlots; ++s) owners_[s].store(kNoOwner);
}

int SlotMap::node_index(const redis::Endpoint& endpoint) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i] == endpoint) return static_cast<int>(i);
  }
  return kNoOwner;
}

std::size_t SlotMap::adopt(const SlotMap& newer) {
  std::vector<int> index_here(newer.nodes().size());
  for (std::size_t i = 0; i < index_here.size(); ++i) index_here[i] = node_index(newer.nodes()[i]);
  std::size_t moved = 0;
  for (std::size_t s = 0; s < redis::kClusterSlots; ++s) {
    const auto slot = static_cast<std::uint16_t>(s);
    const int there = newer.owner(slot);
    if (there == kNoOwner) continue;
    const int here = index_here[static_cast<std::size_t>(there)];
    if (here == kNoOwner || here == owner(slot)) continue;
    move(slot, here);
    ++moved;
  }
  return moved;
}

redis::Endpoint reached_endpoint(const redis::Endpoint& announced,
                                 const redis::AddressMap& redirect_to) {
  auto mapped = redirect_to.find(announced.to_string());
  return mapped == redirect_to.end() ? announced : mapped->second;
}

SlotMap parse_cluster_slots(const redis::Reply& reply, const redis::Endpoint& asked,
                            const redis::AddressMap& redirect_to,
                            const std::vector<redis::Endpoint>& standby) {
  if (reply.is_error()) malformed("error reply " + reply.str);
  if (reply.type != redis::Reply::Type::kArray) malformed("not an array: " + reply.describe());
  struct Range {
    std::int64_t first, last;
    int master;
  };
  std::vector<redis::Endpoint> nodes;  // the masters first
  std::vector<redis::Endpoint> replicas;
  std::vector<Range> ranges;
  for (std::size_t i = 0; i < reply.elements.size(); ++i) {
    const redis::Reply& entry = reply.elements[i];
    const std::string where = "entry " + std::to_string(i);
    if (entry.type != redis::Reply::Type::kArray) malformed(where + " is not an array");
    const std::int64_t first = integer_at(entry, 0, where);
    const std::int64_t last = integer_at(entry, 1, where);
    if (first < 0 || last < first || last >= redis::kClusterSlots) {
      malformed(where + ": slot range " + std::to_string(first) + "-" + std::to_string(last));
    }
    if (entry.elements.size() < 3) malformed(where + ": no master node");
    for (std::size_t n = 2; n < entry.elements.size(); ++n) {
      const redis::Endpoint node = reached_endpoint(node_at(entry, n, asked, where), redirect_to);
      if (n == 2) {
        ranges.push_back({first, last, add_once(nodes, node)});
      } else {
        add_once(replicas, node);
      }
    }
  }
  if (nodes.empty()) malformed("no slot has a master (is the cluster created?)");
  for (const auto& e : standby) replicas.push_back(reached_endpoint(e, redirect_to));
  const std::size_t masters = nodes.size();
  for (const auto& r : replicas) {
    if (std::find(nodes.begin(), nodes.end(), r) == nodes.end()) nodes.push_back(r);
  }
  SlotMap map(std::move(nodes), masters);
  for (const Range& r : ranges) {
    for (std::int64_t s = r.first; s <= r.last; ++s) {
      map.move(static_cast<std::uint16_t>(s), r.master);
    }
  }
  return map;
}

std::vector<redis::Endpoint> cluster_nodes_endpoints(std::string_view cluster_nodes,
                                                     const redis::Endpoint& asked) {
  std::vector<redis::Endpoint> nodes;
  std::istringstream lines{std::string(cluster_nodes)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string id, address;
    if (!(fields >> id >> address)) continue;
    const std::string host_port = address.substr(0, address.find('@'));
    const auto colon = host_port.rfind(':');
    if (colon == std::string::npos) continue;
    const int port = std::atoi(host_port.c_str() + colon + 1);
    if (port < 1 || port > 65535) continue;  // noaddr
    redis::Endpoint e;
    e.host = colon == 0 ? asked.host : host_port.substr(0, colon);
    e.port = static_cast<std::uint16_t>(port);
    nodes.push_back(e);
  }
  return nodes;
}

}  // namespace redproof::load
