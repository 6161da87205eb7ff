// Which master of a Redis Cluster owns each hash slot, for the load engine's cluster mode: read
// once from CLUSTER SLOTS when the load starts, then moved slot by slot as MOVED replies say.
// Replicas are left out (the load goes to masters, as memtier's cluster mode does). Pure: the
// caller asks the server; parsing does no I/O.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "redis/endpoint.hpp"
#include "redis/reply.hpp"

namespace redproof::load {

class SlotMap {
 public:
  static constexpr int kNoOwner = -1;

  explicit SlotMap(std::vector<redis::Endpoint> masters);

  // The endpoints the load connects to (already mapped through redirect_to), in the order the
  // reply named them.
  const std::vector<redis::Endpoint>& masters() const { return masters_; }
  // The index in masters() of the slot's owner, or kNoOwner. Any thread.
  int owner(std::uint16_t slot) const { return owners_[slot].load(std::memory_order_relaxed); }
  // A MOVED reply said so. Any thread: a relaxed store, since a stale read only costs one more
  // redirection.
  void move(std::uint16_t slot, int master) {
    owners_[slot].store(static_cast<std::int16_t>(master), std::memory_order_relaxed);
  }
  // The index of this (mapped) endpoint in masters(), or kNoOwner.
  int master_index(const redis::Endpoint& endpoint) const;

 private:
  std::vector<redis::Endpoint> masters_;
  std::unique_ptr<std::atomic<std::int16_t>[]> owners_;
};

// Where the load reaches a server the cluster names: the redirect_to entry for its "host:port"
// (the fault proxy in front of it), else the address itself.
redis::Endpoint reached_endpoint(const redis::Endpoint& announced,
                                 const redis::AddressMap& redirect_to);

// Parses a CLUSTER SLOTS reply ([[start, end, [host, port, id, ...], replica...], ...]). A master
// announced with an empty host is on the host that was asked (`asked`). Throws
// std::invalid_argument naming what is wrong for a reply of another shape, an error reply, or a
// map without a master.
SlotMap parse_cluster_slots(const redis::Reply& reply, const redis::Endpoint& asked,
                            const redis::AddressMap& redirect_to);

}  // namespace redproof::load
