// Which node of a Redis Cluster owns each hash slot, for the load engine's cluster mode: read
// from CLUSTER SLOTS when the load starts, moved slot by slot as MOVED replies say, and adopted
// again from CLUSTER SLOTS while the load runs (a replica promoted after its master died). The
// load goes to the masters, as memtier's cluster mode does; replicas own no slot but are known,
// after the masters, so that one promoted can take its master's share. Pure: the caller asks
// the server; parsing does no I/O.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "redis/endpoint.hpp"
#include "redis/reply.hpp"

namespace redproof::load {

class SlotMap {
 public:
  static constexpr int kNoOwner = -1;

  // `masters` own slots when the load starts; `nodes` are they, then the replicas.
  SlotMap(std::vector<redis::Endpoint> nodes, std::size_t masters);

  // The endpoints the load connects to (already mapped through redirect_to): the masters in the
  // order the reply named them, then the replicas.
  const std::vector<redis::Endpoint>& nodes() const { return nodes_; }
  // How many of nodes() were masters when the map was read.
  std::size_t masters() const { return masters_; }
  // The index in nodes() of the slot's owner, or kNoOwner. Any thread.
  int owner(std::uint16_t slot) const { return owners_[slot].load(std::memory_order_relaxed); }
  // A MOVED reply said so. Any thread: a relaxed store, since a stale read only costs one more
  // redirection.
  void move(std::uint16_t slot, int master) {
    owners_[slot].store(static_cast<std::int16_t>(master), std::memory_order_relaxed);
  }
  // The index of this (mapped) endpoint in nodes(), or kNoOwner.
  int node_index(const redis::Endpoint& endpoint) const;
  // Takes the owners of a newer map of the same cluster. Slots it leaves unassigned, or gives
  // to a node this map does not know (added since), keep their owner. Returns the slots moved.
  std::size_t adopt(const SlotMap& newer);

 private:
  std::vector<redis::Endpoint> nodes_;
  std::size_t masters_;
  std::unique_ptr<std::atomic<std::int16_t>[]> owners_;
};

// Where the load reaches a server the cluster names: the redirect_to entry for its "host:port"
// (the fault proxy in front of it), else the address itself.
redis::Endpoint reached_endpoint(const redis::Endpoint& announced,
                                 const redis::AddressMap& redirect_to);

// Parses a CLUSTER SLOTS reply ([[start, end, [host, port, id, ...], replica...], ...]). A node
// announced with an empty host is on the host that was asked (`asked`). `standby`: more nodes
// to know, after those the reply names (CLUSTER SLOTS leaves out replicas not known as such
// yet, as in a cluster just created). Throws std::invalid_argument naming
// what is wrong for a reply of another shape, an error reply, or a map without a master.
SlotMap parse_cluster_slots(const redis::Reply& reply, const redis::Endpoint& asked,
                            const redis::AddressMap& redirect_to,
                            const std::vector<redis::Endpoint>& standby = {});

// The nodes a CLUSTER NODES reply lists ("<id> <ip:port@cport[,hostname]> <flags> ..." a line),
// as announced, whatever their role: right after a cluster is created a node may still show
// its replicas as masters without slots. Nodes without an address are left out; lines it
// cannot read are skipped: this only adds standby nodes.
std::vector<redis::Endpoint> cluster_nodes_endpoints(std::string_view cluster_nodes,
                                                     const redis::Endpoint& asked);

}  // namespace redproof::load
