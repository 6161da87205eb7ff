// The Cluster / topology seam: the servers of a run. setup() starts them (or checks an existing
// one), nodes() says where clients connect, teardown() stops what setup() started. Topologies the
// harness starts itself also offer ServerControl, which faults that pause or kill servers use.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "faults/network_control.hpp"
#include "faults/replication_control.hpp"
#include "faults/server_control.hpp"
#include "redis/connection_security.hpp"
#include "redis/endpoint.hpp"
#include "redis/local_server.hpp"

namespace redproof {

namespace proxy {
class FaultProxy;
}

struct Node {
  std::string name;
  redis::Endpoint endpoint;
};

class Topology {
 public:
  virtual ~Topology() = default;
  // Throws redis::ServerStartError (or std::runtime_error) with one line saying what failed.
  virtual void setup() = 0;
  virtual void teardown() noexcept = 0;
  virtual std::vector<Node> nodes() const = 0;
  // Null when the harness does not control the servers (--target).
  virtual ServerControl* server_control() { return nullptr; }
  // The harness's proxies between clients and servers (empty unless `proxied`).
  virtual std::vector<proxy::FaultProxy*> proxies() { return {}; }
  // Null unless the nodes live in network namespaces (--netns) where links can be cut.
  virtual NetworkControl* network() { return nullptr; }
  // Null unless the topology has replicas whose roles and links faults may change.
  virtual ReplicationControl* replication() { return nullptr; }
  // Where worker `worker` sends its requests now: the primary, as this worker reaches it. Asked
  // whenever a worker opens a client, so clients follow failovers. Thread-safe.
  virtual Node client_node(int /*worker*/) const { return nodes().front(); }
  // Redis Cluster: clients route by hash slot and follow MOVED/ASK (ConnectionOptions.cluster).
  virtual bool cluster() const { return false; }
  // Where a redirection naming a server's own address (MOVED/ASK) should go instead: the
  // endpoint clients use for it, its fault proxy. Empty when clients reach servers directly.
  virtual redis::AddressMap client_addresses() const { return {}; }
  // For run.json: kind, nodes, server version.
  virtual nlohmann::json describe() const = 0;
};

struct TopologyOptions {
  std::string kind = "single";
  std::string target;  // --target: HOST:PORT, sentinel://... or cluster://...
  std::shared_ptr<const redis::ConnectionSecurity> target_security;  // AUTH, TLS for --target
  // --allow-remote: servers a Sentinel or cluster target names may be outside loopback.
  bool target_allow_remote = false;
  std::string nodes_directory;  // <results>/nodes
  std::uint16_t base_port = 0;  // 0: free ports
  std::string server_binary = "redis-server";
  bool proxied = false;  // clients reach each server through redproof's fault proxy
  bool netns = false;    // each node in a network namespace of its own (root only)
  redis::Persistence persistence = redis::Persistence::kNone;  // what survives kill-restart
};

// Throws std::invalid_argument for a topology this build cannot make or a malformed --target.
std::unique_ptr<Topology> make_topology(const TopologyOptions& options);

}  // namespace redproof
