// `single`: redis-server processes the harness starts on loopback ports, each with its own
// directory (config and log) under the results' nodes/.
#pragma once

#include <memory>
#include <vector>

#include "driver/topology/namespace_network.hpp"
#include "driver/topology/topology.hpp"
#include "redis/local_server.hpp"

namespace redproof {

class LocalTopology : public Topology, public ServerControl {
 public:
  LocalTopology(const TopologyOptions& options, int servers);
  ~LocalTopology() override;

  void setup() override;
  void teardown() noexcept override;
  std::vector<Node> nodes() const override;
  ServerControl* server_control() override { return this; }
  std::vector<proxy::FaultProxy*> proxies() override;
  redis::AddressMap client_addresses() const override;
  nlohmann::json describe() const override;
  NetworkControl* network() override { return network_.get(); }

  std::vector<std::string> server_names() const override;
  void pause_server(const std::string& name) override;
  void resume_server(const std::string& name) override;
  void kill_server(const std::string& name) override;
  void restart_server(const std::string& name) override;
  redis::Endpoint server_endpoint(const std::string& name) const override;

 protected:
  // redis.conf lines every server of this topology gets (a cluster's, say).
  virtual std::vector<std::string> server_config() const { return {}; }
  redis::LocalServer& server(const std::string& name) const;
  // Node `i`'s endpoint for clients: its client proxy when proxied, else the server itself.
  redis::Endpoint client_endpoint(std::size_t i) const;
  const std::vector<std::unique_ptr<redis::LocalServer>>& servers() const { return servers_; }
  const TopologyOptions& options() const { return options_; }
  // With --netns: the namespaces, else null.
  NamespaceNetwork* namespaces() const { return network_.get(); }
  // Options for a process living on node `node` (a server, or the Sentinel beside it): in the
  // node's namespace with --netns.
  void place_on_node(redis::LocalServerOptions& o, const std::string& node) const;

 private:
  TopologyOptions options_;
  int count_;
  std::unique_ptr<NamespaceNetwork> network_;  // --netns
  std::vector<std::unique_ptr<redis::LocalServer>> servers_;
  std::vector<std::unique_ptr<proxy::FaultProxy>> proxies_;  // one per server, when proxied
};

}  // namespace redproof
