#include "driver/topology/local_topology.hpp"

#include <stdexcept>

#include "faults/proxy/fault_proxy.hpp"

namespace redproof {

LocalTopology::LocalTopology(const TopologyOptions& options, int servers)
    : options_(options), count_(servers) {}

LocalTopology::~LocalTopology() {
  teardown();
}

void LocalTopology::setup() {
  if (options_.netns) {
    std::vector<std::string> names;
    for (int i = 0; i < count_; ++i) names.push_back("n" + std::to_string(i + 1));
    network_ = std::make_unique<NamespaceNetwork>(options_.nodes_directory + "/network.json");
    network_->create(names);
  }
  for (int i = 0; i < count_; ++i) {
    redis::LocalServerOptions o;
    o.name = "n" + std::to_string(i + 1);
    o.directory = options_.nodes_directory + "/" + o.name;
    o.binary = options_.server_binary;
    if (options_.base_port != 0) o.port = static_cast<std::uint16_t>(options_.base_port + i);
    place_on_node(o, o.name);
    o.extra_config = server_config();
    o.persistence = options_.persistence;
    servers_.push_back(std::make_unique<redis::LocalServer>(o));
    servers_.back()->start();
    if (options_.proxied) {
      proxy::FaultProxyOptions po;
      po.name = "proxy-" + o.name;
      po.upstream = servers_.back()->endpoint();
      po.seed = static_cast<std::uint64_t>(i);
      proxies_.push_back(std::make_unique<proxy::FaultProxy>(po));
      proxies_.back()->start();
    }
  }
}

std::vector<proxy::FaultProxy*> LocalTopology::proxies() {
  std::vector<proxy::FaultProxy*> out;
  for (auto& p : proxies_) out.push_back(p.get());
  return out;
}

void LocalTopology::teardown() noexcept {
  for (auto& p : proxies_) p->stop();
  for (auto& s : servers_) {
    try {
      s->stop();
    } catch (...) {
    }
  }
  // Subclasses stop the processes they put in the namespaces (Sentinels) before this runs.
  if (network_) network_->destroy();
}

void LocalTopology::place_on_node(redis::LocalServerOptions& o, const std::string& node) const {
  if (!network_) return;
  o.netns = network_->namespace_of(node);
  o.host = network_->address_of(node);
}

redis::Endpoint LocalTopology::client_endpoint(std::size_t i) const {
  // Clients go through the proxy when there is one: that is where network faults happen.
  return i < proxies_.size() ? proxies_[i]->endpoint() : servers_[i]->endpoint();
}

redis::AddressMap LocalTopology::client_addresses() const {
  redis::AddressMap out;
  for (std::size_t i = 0; i < proxies_.size() && i < servers_.size(); ++i) {
    out[servers_[i]->endpoint().to_string()] = proxies_[i]->endpoint();
  }
  return out;
}

std::vector<Node> LocalTopology::nodes() const {
  std::vector<Node> out;
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    out.push_back({servers_[i]->name(), client_endpoint(i)});
  }
  return out;
}

nlohmann::json LocalTopology::describe() const {
  nlohmann::json nodes = nlohmann::json::array();
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    const auto& s = servers_[i];
    nlohmann::json node = {{"name", s->name()},
                           {"endpoint", s->endpoint().to_string()},
                           {"pid", s->pid()},
                           {"config", s->config_path()},
                           {"log", s->log_path()}};
    if (i < proxies_.size()) node["proxy"] = proxies_[i]->endpoint().to_string();
    nodes.push_back(std::move(node));
  }
  nlohmann::json d = {{"kind", options_.kind},
                      {"nodes", nodes},
                      {"server_version", servers_.empty() ? "" : servers_.front()->version()},
                      {"persistence", redis::persistence_name(options_.persistence)}};
  if (network_) {
    nlohmann::json ns = nlohmann::json::object();
    for (const auto& s : servers_) ns[s->name()] = network_->namespace_of(s->name());
    d["netns"] = {{"bridge", network_->bridge()},
                  {"host_address", network_->host_address()},
                  {"namespaces", ns}};
  }
  return d;
}

std::vector<std::string> LocalTopology::server_names() const {
  std::vector<std::string> out;
  for (const auto& s : servers_) out.push_back(s->name());
  return out;
}

redis::LocalServer& LocalTopology::server(const std::string& name) const {
  for (const auto& s : servers_) {
    if (s->name() == name) return *s;
  }
  throw std::runtime_error("no server named " + name);
}

void LocalTopology::pause_server(const std::string& name) {
  server(name).pause();
}
void LocalTopology::resume_server(const std::string& name) {
  server(name).resume();
}
void LocalTopology::kill_server(const std::string& name) {
  server(name).kill();
}
redis::Endpoint LocalTopology::server_endpoint(const std::string& name) const {
  return server(name).endpoint();
}
void LocalTopology::restart_server(const std::string& name) {
  server(name).restart();
}

}  // namespace redproof
