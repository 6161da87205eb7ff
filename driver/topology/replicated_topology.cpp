#include "driver/topology/replicated_topology.hpp"

#include <stdexcept>
#include <string_view>
#include <thread>

#include "faults/partition/grudge.hpp"
#include "faults/proxy/fault_proxy.hpp"
#include "redis/sync_command.hpp"

namespace redproof {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kControlTimeout{2000};

// The toxics of an isolation: every byte swallowed, both ways.
constexpr const char* kIsolateUp = "timeout,stream=up,name=isolate-up";
constexpr const char* kIsolateDown = "timeout,stream=down,name=isolate-down";

// The black hole other peer proxies put on `node`'s own outgoing links, one per direction.
std::string outgoing_cut_name(const std::string& node, std::string_view stream) {
  return "isolate-" + node + "-" + std::string(stream);
}

redis::Reply control(const redis::Endpoint& at, std::vector<std::string> args) {
  return redis::sync_command(at, std::move(args), kControlTimeout);
}

void expect_ok(const redis::Reply& r, const std::string& node, const std::string& what) {
  if (r.is_error()) throw std::runtime_error(node + ": " + what + " failed: " + r.str);
}

}  // namespace

ReplicatedTopology::ReplicatedTopology(const TopologyOptions& options, int replicas)
    : LocalTopology(options, 1 + replicas) {}

ReplicatedTopology::~ReplicatedTopology() {
  ReplicatedTopology::teardown();
}

void ReplicatedTopology::setup() {
  LocalTopology::setup();
  const auto& nodes = servers();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    proxy::FaultProxyOptions po;
    po.name = "peer-" + nodes[i]->name();
    po.upstream = nodes[i]->endpoint();
    po.seed = 1000 + i;
    peers_.push_back(std::make_unique<proxy::FaultProxy>(po));
    peers_.back()->start();
    if (!namespaces()) announce(i);
  }
  set_primary(nodes.front()->name());
  for (std::size_t i = 1; i < nodes.size(); ++i) replicate_from(i, 0);
  wait_for_replicas(milliseconds(15000));
}

void ReplicatedTopology::announce(std::size_t i) {
  // Replicas report this address in the primary's INFO, which is what Sentinel then uses.
  const auto& node = *servers()[i];
  const auto peer = peer_endpoint(i);
  expect_ok(control(node.endpoint(), {"CONFIG", "SET", "replica-announce-ip", peer.host}),
            node.name(), "CONFIG SET replica-announce-ip");
  expect_ok(control(node.endpoint(),
                    {"CONFIG", "SET", "replica-announce-port", std::to_string(peer.port)}),
            node.name(), "CONFIG SET replica-announce-port");
  // Its links to the other servers leave from an address of its own, so that the other
  // servers' peer proxies can tell them apart and cut them when it is isolated.
  expect_ok(control(node.endpoint(), {"CONFIG", "SET", "bind-source-addr", source_address(i)}),
            node.name(), "CONFIG SET bind-source-addr");
}

std::string ReplicatedTopology::source_address(std::size_t i) {
  if (i > 250) throw std::runtime_error("more than 250 servers in a replicated topology");
  return "127.0.0." + std::to_string(2 + i);
}

void ReplicatedTopology::restart_server(const std::string& name) {
  LocalTopology::restart_server(name);
  const std::size_t i = index_of(name);
  if (!namespaces()) announce(i);
  const std::size_t p = index_of(primary());
  if (p != i) replicate_from(i, p);
}

void ReplicatedTopology::teardown() noexcept {
  for (auto& p : peers_) p->stop();
  LocalTopology::teardown();
}

void ReplicatedTopology::replicate_from(std::size_t i, std::size_t primary) {
  const auto& node = *servers()[i];
  const auto source = replication_endpoint(primary);
  expect_ok(control(node.endpoint(), {"REPLICAOF", source.host, std::to_string(source.port)}),
            node.name(), "REPLICAOF " + source.to_string());
}

void ReplicatedTopology::wait_for_replicas(milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& name : replicas()) {
    const auto& node = server(name);
    for (;;) {
      std::string info;
      try {
        info = control(node.endpoint(), {"INFO", "replication"}).str;
      } catch (const redis::CommandError&) {
      }
      if (info.find("master_link_status:up") != std::string::npos) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        throw std::runtime_error(name + ": replica did not sync with the primary within " +
                                 std::to_string(timeout.count()) + " ms (log: " + node.log_path() +
                                 ")");
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  }
}

std::size_t ReplicatedTopology::index_of(const std::string& node) const {
  const auto& nodes = servers();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i]->name() == node) return i;
  }
  throw std::runtime_error("no node named " + node);
}

redis::Endpoint ReplicatedTopology::peer_endpoint(std::size_t i) const {
  return peers_.at(i)->endpoint();
}

redis::Endpoint ReplicatedTopology::replication_endpoint(std::size_t i) const {
  return namespaces() ? servers().at(i)->endpoint() : peer_endpoint(i);
}

std::optional<std::size_t> ReplicatedTopology::node_at_replication_endpoint(
    const redis::Endpoint& at) const {
  for (std::size_t i = 0; i < servers().size(); ++i) {
    const auto e = replication_endpoint(i);
    if (e.port == at.port && e.host == at.host) return i;
  }
  return std::nullopt;
}

void ReplicatedTopology::apply_isolations_in_namespaces() {
  if (!namespaces()) return;
  if (isolated_.empty()) {
    namespaces()->heal_partition();
    return;
  }
  namespaces()->partition(isolate_nodes(server_names(), isolated_));
}

void ReplicatedTopology::set_primary(const std::string& node) {
  std::lock_guard lock(mu_);
  primary_ = node;
}

std::string ReplicatedTopology::primary() const {
  std::lock_guard lock(mu_);
  return primary_;
}

std::vector<std::string> ReplicatedTopology::replicas() const {
  const std::string p = primary();
  std::vector<std::string> out;
  for (const auto& s : servers()) {
    if (s->name() != p) out.push_back(s->name());
  }
  return out;
}

Node ReplicatedTopology::client_node(int /*worker*/) const {
  const std::size_t i = index_of(primary());
  return {servers()[i]->name(), client_endpoint(i)};
}

void ReplicatedTopology::isolate(const std::string& node) {
  const std::size_t i = index_of(node);
  {
    std::lock_guard lock(mu_);
    if (!isolated_.insert(node).second) return;
    apply_isolations_in_namespaces();
  }
  peers_[i]->add_toxic(kIsolateUp);
  peers_[i]->add_toxic(kIsolateDown);
  if (namespaces()) return;
  // Its own links to the others (a replica's to its primary) go through their peer proxies.
  for (std::size_t j = 0; j < peers_.size(); ++j) {
    if (j == i) continue;
    for (std::string_view stream : {"up", "down"}) {
      peers_[j]->add_toxic("timeout,stream=" + std::string(stream) + ",name=" +
                           outgoing_cut_name(node, stream) + ",from=" + source_address(i));
    }
  }
}

void ReplicatedTopology::reconnect(const std::string& node) {
  const std::size_t i = index_of(node);
  {
    std::lock_guard lock(mu_);
    if (isolated_.erase(node) == 0) return;
    apply_isolations_in_namespaces();
  }
  peers_[i]->remove_toxic("isolate-up");
  peers_[i]->remove_toxic("isolate-down");
  // Removing a black hole closes the connections it swallowed bytes of.
  for (auto& peer : peers_) {
    for (std::string_view stream : {"up", "down"})
      peer->remove_toxic(outgoing_cut_name(node, stream));
  }
  // The black hole dropped bytes: links that lived through it are reset, so that replicas
  // resume with PSYNC from the offset they really reached instead of a stream with a hole.
  peers_[i]->disable();
  peers_[i]->enable();
}

NetworkControl* ReplicatedTopology::network() {
  if (NetworkControl* namespaces = LocalTopology::network()) return namespaces;
  return this;
}

std::vector<std::string> ReplicatedTopology::partition_nodes() const {
  return server_names();
}

void ReplicatedTopology::partition(const Grudge& grudge) {
  // The nodes cut off from every other node; the grudge must be exactly their isolation.
  const auto nodes = server_names();
  const std::set<std::string> cut = isolated_nodes(nodes, grudge);
  if (isolate_nodes(nodes, cut) != grudge) {
    throw std::runtime_error(
        "this partition shape cuts links between single pairs of servers, which the peer "
        "proxies cannot do: use --netns");
  }
  heal_links();
  for (const auto& node : cut) isolate(node);
}

void ReplicatedTopology::heal_links() noexcept {
  std::set<std::string> isolated;
  {
    std::lock_guard lock(mu_);
    isolated = isolated_;
  }
  for (const auto& node : isolated) {
    try {
      reconnect(node);
    } catch (...) {
    }
  }
  for (auto& p : peers_) p->heal();
  if (namespaces()) namespaces()->heal_partition();
}

void ReplicatedTopology::promote(const std::string& replica) {
  const std::size_t to = index_of(replica);
  const std::size_t from = index_of(primary());
  if (to == from) throw std::runtime_error(replica + " is already the primary");
  const auto& nodes = servers();
  expect_ok(control(nodes[to]->endpoint(), {"REPLICAOF", "NO", "ONE"}), replica,
            "REPLICAOF NO ONE");
  set_primary(replica);
  // The old primary too: it becomes a replica of the new one and drops what it alone had, as a
  // demoted primary does in any failover.
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i != to) replicate_from(i, to);
  }
  // Clients still connected to the old primary see their connection close and reconnect to
  // the new one.
  control(nodes[from]->endpoint(), {"CLIENT", "KILL", "TYPE", "normal"});
}

nlohmann::json ReplicatedTopology::describe() const {
  nlohmann::json d = LocalTopology::describe();
  for (std::size_t i = 0; i < peers_.size() && i < d["nodes"].size(); ++i) {
    d["nodes"][i]["peer_proxy"] = peers_[i]->endpoint().to_string();
    d["nodes"][i]["replicates_via"] = replication_endpoint(i).to_string();
  }
  d["primary"] = primary();
  return d;
}

}  // namespace redproof
