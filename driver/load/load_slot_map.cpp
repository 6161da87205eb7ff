#include "driver/load/load_slot_map.hpp"

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

// The master of one slot range: its third element, [host, port, id, ...].
redis::Endpoint master_of(const redis::Reply& entry, const redis::Endpoint& asked,
                          const std::string& where) {
  if (entry.elements.size() < 3 || entry.elements[2].type != redis::Reply::Type::kArray) {
    malformed(where + ": no master node");
  }
  const redis::Reply& node = entry.elements[2];
  if (node.elements.size() < 2 || node.elements[0].type != redis::Reply::Type::kString) {
    malformed(where + ": master node without host and port");
  }
  const std::int64_t port = integer_at(node, 1, where + " master");
  if (port < 1 || port > 65535) malformed(where + ": master port " + std::to_string(port));
  redis::Endpoint e;
  e.host = node.elements[0].str.empty() ? asked.host : node.elements[0].str;
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

}  // namespace

SlotMap::SlotMap(std::vector<redis::Endpoint> masters)
    : masters_(std::move(masters)),
      owners_(std::make_unique<std::atomic<std::int16_t>[]>(redis::kClusterSlots)) {
  for (std::size_t s = 0; s < redis::kClusterSlots; ++s) owners_[s].store(kNoOwner);
}

int SlotMap::master_index(const redis::Endpoint& endpoint) const {
  for (std::size_t i = 0; i < masters_.size(); ++i) {
    if (masters_[i] == endpoint) return static_cast<int>(i);
  }
  return kNoOwner;
}

redis::Endpoint reached_endpoint(const redis::Endpoint& announced,
                                 const redis::AddressMap& redirect_to) {
  auto mapped = redirect_to.find(announced.to_string());
  return mapped == redirect_to.end() ? announced : mapped->second;
}

SlotMap parse_cluster_slots(const redis::Reply& reply, const redis::Endpoint& asked,
                            const redis::AddressMap& redirect_to) {
  if (reply.is_error()) malformed("error reply " + reply.str);
  if (reply.type != redis::Reply::Type::kArray) malformed("not an array: " + reply.describe());
  struct Range {
    std::int64_t first, last;
    int master;
  };
  std::vector<redis::Endpoint> masters;
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
    const redis::Endpoint master = reached_endpoint(master_of(entry, asked, where), redirect_to);
    int index = 0;
    while (index < static_cast<int>(masters.size()) && !(masters[index] == master)) ++index;
    if (index == static_cast<int>(masters.size())) masters.push_back(master);
    ranges.push_back({first, last, index});
  }
  if (masters.empty()) malformed("no slot has a master (is the cluster created?)");
  SlotMap map(std::move(masters));
  for (const Range& r : ranges) {
    for (std::int64_t s = r.first; s <= r.last; ++s) {
      map.move(static_cast<std::uint16_t>(s), r.master);
    }
  }
  return map;
}

}  // namespace redproof::load
