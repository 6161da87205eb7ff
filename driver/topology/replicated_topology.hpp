// `replicated`: a primary and replicas (n1 first primary, n2.. replicas) on loopback ports, with
// `repl-diskless-sync-delay 0`. Every node is reached by the other servers through its own
// "peer" proxy (faults/proxy/), and announces that proxy's port (`replica-announce-port`), so
// that cutting a node off from the others is a black hole on its proxy while the node's own
// clients still reach it directly: the shape of a partition, without root or namespaces. Each
// node's own outgoing links (a replica's to its primary) leave from a loopback address of its
// own (`bind-source-addr` 127.0.0.2, .3, ...), so the other proxies black-hole those too.
//
// With --netns, servers replicate from each other's namespace addresses directly and a node is
// cut off by iptables rules in the namespaces (the grudge of faults/partition/grudge.hpp); the
// peer proxies then only carry the clients that stand on the other servers' side.
//
// Clients are sent to the current primary (client_node); promote() moves it, as a manual
// failover would, and drops the old primary's client connections so that clients follow.
#pragma once

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "driver/topology/local_topology.hpp"

namespace redproof {

class ReplicatedTopology : public LocalTopology, public ReplicationControl, public NetworkControl {
 public:
  ReplicatedTopology(const TopologyOptions& options, int replicas);
  ~ReplicatedTopology() override;

  void setup() override;
  void teardown() noexcept override;
  ReplicationControl* replication() override { return this; }
  // With --netns, iptables in the namespaces (any grudge); without, the peer proxies, which can
  // cut single nodes off from all the others and nothing finer.
  NetworkControl* network() override;
  Node client_node(int worker) const override;
  nlohmann::json describe() const override;

  std::string primary() const override;
  std::vector<std::string> replicas() const override;
  void isolate(const std::string& node) override;
  void reconnect(const std::string& node) override;
  void promote(const std::string& replica) override;
  void heal_links() noexcept override;
  // A restarted server (kill-restart) comes back from its redis.conf as a lone master: it gets
  // its announced address back and, unless it is the primary, follows the primary again.
  void restart_server(const std::string& name) override;

  // NetworkControl through the peer proxies. partition() throws std::runtime_error for a grudge
  // that is not a set of isolated nodes (halves of five, a ring, a bridge need --netns).
  std::vector<std::string> partition_nodes() const override;
  void partition(const Grudge& grudge) override;
  void heal_partition() noexcept override { heal_links(); }

 protected:
  std::size_t index_of(const std::string& node) const;
  // How the clients on the other servers' side of a partition reach node `i`.
  redis::Endpoint peer_endpoint(std::size_t i) const;
  // How the other servers (replicas, Sentinels) reach node `i`: its peer proxy, or with --netns
  // its own address.
  redis::Endpoint replication_endpoint(std::size_t i) const;
  // The node at `at` as servers know it (what Sentinel and INFO report).
  std::optional<std::size_t> node_at_replication_endpoint(const redis::Endpoint& at) const;
  void set_primary(const std::string& node);
  // The loopback address node `i`'s own connections leave from (127.0.0.2, .3, ...).
  static std::string source_address(std::size_t i);
  // Sets node `i`'s announced address to its peer proxy, and its source address.
  void announce(std::size_t i);
  // Points node `i` at the primary `primary` (at its replication endpoint).
  void replicate_from(std::size_t i, std::size_t primary);
  // Waits until every replica's link to the primary is up; throws after `timeout`.
  void wait_for_replicas(std::chrono::milliseconds timeout) const;

 private:
  std::vector<std::unique_ptr<proxy::FaultProxy>> peers_;
  mutable std::mutex mu_;
  std::string primary_;
  std::set<std::string> isolated_;
  // --netns: cuts every isolated node off from the others with iptables (mu_ held).
  void apply_isolations_in_namespaces();
};

}  // namespace redproof
