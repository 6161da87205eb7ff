#include "driver/topology/local_topology.hpp"

#include <stdexcept>

namespace redproof {

LocalTopology::LocalTopology(const TopologyOptions& options, int servers)
    : options_(options), count_(servers) {}

LocalTopology::~LocalTopology() {
  teardown();
}

void LocalTopology::setup() {
  for (int i = 0; i < count_; ++i) {
    redis::LocalServerOptions o;
    o.name = "n" + std::to_string(i + 1);
    o.directory = options_.nodes_directory + "/" + o.name;
    o.binary = options_.server_binary;
    if (options_.base_port != 0) o.port = static_cast<std::uint16_t>(options_.base_port + i);
    servers_.push_back(std::make_unique<redis::LocalServer>(o));
    servers_.back()->start();
  }
}

void LocalTopology::teardown() noexcept {
  for (auto& s : servers_) {
    try {
      s->stop();
    } catch (...) {
    }
  }
}

std::vector<Node> LocalTopology::nodes() const {
  std::vector<Node> out;
  for (const auto& s : servers_) out.push_back({s->name(), s->endpoint()});
  return out;
}

nlohmann::json LocalTopology::describe() const {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& s : servers_) {
    nodes.push_back({{"name", s->name()},
                     {"endpoint", s->endpoint().to_string()},
                     {"pid", s->pid()},
                     {"config", s->config_path()},
                     {"log", s->log_path()}});
  }
  return {{"kind", options_.kind},
          {"nodes", nodes},
          {"server_version", servers_.empty() ? "" : servers_.front()->version()}};
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
void LocalTopology::restart_server(const std::string& name) {
  server(name).restart();
}

}  // namespace redproof
