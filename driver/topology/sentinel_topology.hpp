// `sentinel`: three redis-servers (a primary and two replicas, as `replicated`) watched by three
// Sentinels with quorum 2, which fail over by themselves when the primary is cut off. Clients
// learn the primary from Sentinel: a watcher thread asks the Sentinels every 100 ms, like a
// Sentinel-aware client library, and client_node() answers from what it last heard.
//
// Clients are on two sides of the network: even workers reach the servers directly ("beside
// the primary": a partition of the primary leaves them with it), odd workers through the peer
// proxies like the replicas and Sentinels (the majority side). That is what makes a partition
// of the primary produce two primaries with clients on each.
#pragma once

#include <atomic>
#include <thread>

#include "driver/topology/replicated_topology.hpp"

namespace redproof {

class SentinelTopology : public ReplicatedTopology {
 public:
  static constexpr const char* kMasterName = "redproof";

  explicit SentinelTopology(const TopologyOptions& options);
  ~SentinelTopology() override;

  void setup() override;
  void teardown() noexcept override;
  Node client_node(int worker) const override;
  nlohmann::json describe() const override;
  bool managed_failover() const override { return true; }
  // Sentinel picks the new primary; a manual promotion would fight it.
  void promote(const std::string& replica) override;

 private:
  void watch();
  // Asks the Sentinels; the node most of those that answered name, if any.
  std::optional<std::size_t> ask_sentinels() const;

  std::vector<std::unique_ptr<redis::LocalServer>> sentinels_;
  std::thread watcher_;
  std::atomic<bool> stopping_{false};
};

}  // namespace redproof
