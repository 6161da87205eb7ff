// `cluster`: a Redis Cluster of three masters with a replica each (six redis-servers with
// `cluster-enabled yes`), created with `redis-cli --cluster create --cluster-replicas 1`, as
// operators do. Clients start at n1 and route by hash slot, following MOVED and ASK
// (redis::Connection with ConnectionOptions.cluster).
#pragma once

#include "driver/topology/local_topology.hpp"

namespace redproof {

class ClusterTopology : public LocalTopology {
 public:
  explicit ClusterTopology(const TopologyOptions& options) : LocalTopology(options, 6) {}
  void setup() override;
  bool cluster() const override { return true; }
  nlohmann::json describe() const override;

 protected:
  std::vector<std::string> server_config() const override;

 private:
  // Waits until every node reports cluster_state:ok with all slots assigned and all nodes known.
  void wait_until_ready(std::chrono::milliseconds timeout) const;
};

}  // namespace redproof
