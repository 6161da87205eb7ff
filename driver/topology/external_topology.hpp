// `--target HOST:PORT` or `--target cluster://HOST:PORT[,...]`: servers the harness did not
// start. They are checked for an answer at setup (with AUTH and TLS when given); faults that
// need control of the servers are refused. A cluster target is routed as the harness's own
// cluster is: by hash slot from the first seed that answers, following MOVED and ASK.
#pragma once

#include <memory>

#include "driver/topology/target_address.hpp"
#include "driver/topology/topology.hpp"
#include "redis/connection_security.hpp"

namespace redproof {

class ExternalTopology : public Topology {
 public:
  // Without `allow_remote`, a cluster whose nodes (CLUSTER NODES at setup) include one outside
  // loopback and the harness's namespaces is refused: its MOVED replies would lead load there.
  ExternalTopology(TargetAddress target, std::shared_ptr<const redis::ConnectionSecurity> security,
                   bool allow_remote = false);
  // One plain server without AUTH (bench's pattern load).
  explicit ExternalTopology(redis::Endpoint endpoint)
      : ExternalTopology(TargetAddress{TargetAddress::Kind::kServer, {std::move(endpoint)}, {}},
                         nullptr) {}
  void setup() override;
  void teardown() noexcept override {}
  std::vector<Node> nodes() const override { return {{"target", endpoint_}}; }
  bool cluster() const override { return target_.kind == TargetAddress::Kind::kCluster; }
  nlohmann::json describe() const override;

 private:
  TargetAddress target_;
  std::shared_ptr<const redis::ConnectionSecurity> security_;
  redis::Endpoint endpoint_;  // the server, or the seed that answered
  std::string version_;
  bool allow_remote_ = false;
};

// The host:port of every node a CLUSTER NODES reply lists ("<id> <ip:port@cport[,hostname]>
// <flags> ..."), skipping nodes without an address yet.
std::vector<redis::Endpoint> cluster_node_endpoints(const std::string& cluster_nodes);

// run.json's account of a target's security: {"user": ..., "password": "set"} and the TLS
// files, never the password itself. Null without AUTH or TLS.
nlohmann::json describe_security(const redis::ConnectionSecurity* security);

// INFO server's redis_version of `endpoint`; throws std::runtime_error "--target TEXT: why".
std::string target_server_version(const std::string& target_text, const redis::Endpoint& endpoint,
                                  std::shared_ptr<const redis::ConnectionSecurity> security);

}  // namespace redproof
