#include "driver/topology/cluster_topology.hpp"

#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "core/process_runner.hpp"
#include "redis/sync_command.hpp"

namespace redproof {

namespace {

using std::chrono::milliseconds;

std::string last_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace

std::vector<std::string> ClusterTopology::server_config() const {
  return {"cluster-enabled yes", "cluster-config-file nodes.conf", "cluster-node-timeout 2000",
          // A client beside a lone master keeps being served (as in a partition), instead of
          // every node refusing while a slot has no owner.
          "cluster-require-full-coverage no"};
}

void ClusterTopology::setup() {
  LocalTopology::setup();
  ProcessRunner& runner = system_process_runner();
  auto cli = runner.find_binary("redis-cli");
  if (!cli) {
    throw std::runtime_error(
        "redis-cli not found on PATH: the cluster topology creates the cluster with it (install "
        "redis-tools: sudo bash ci/install-deps.sh)");
  }
  ProcessSpec spec;
  spec.binary = *cli;
  spec.args = {"--cluster", "create"};
  for (const auto& s : servers()) spec.args.push_back(s->endpoint().to_string());
  spec.args.insert(spec.args.end(), {"--cluster-replicas", "1", "--cluster-yes"});
  spec.output_path = options().nodes_directory + "/cluster-create.log";
  const int pid = runner.spawn(spec);
  auto status = runner.wait(pid, milliseconds(30000));
  if (!status) {
    runner.signal(pid, SIGKILL);
    runner.wait(pid, milliseconds(5000));
    throw std::runtime_error(
        "redis-cli --cluster create did not finish within 30 s (log: " + spec.output_path + ")");
  }
  if (*status != 0) {
    throw std::runtime_error("redis-cli --cluster create failed: " +
                             last_line_of(spec.output_path) + " (log: " + spec.output_path + ")");
  }
  wait_until_ready(milliseconds(20000));
}

void ClusterTopology::wait_until_ready(milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (const auto& s : servers()) {
    for (;;) {
      std::string info;
      try {
        info = redis::sync_command(s->endpoint(), {"CLUSTER", "INFO"}, milliseconds(1000)).str;
      } catch (const redis::CommandError&) {
      }
      if (info.find("cluster_state:ok") != std::string::npos &&
          info.find("cluster_slots_assigned:16384") != std::string::npos &&
          info.find("cluster_known_nodes:" + std::to_string(servers().size())) !=
              std::string::npos) {
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        throw std::runtime_error(s->name() + ": the cluster did not become ready within " +
                                 std::to_string(timeout.count()) + " ms (log: " + s->log_path() +
                                 ")");
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
  }
}

nlohmann::json ClusterTopology::describe() const {
  nlohmann::json d = LocalTopology::describe();
  for (std::size_t i = 0; i < servers().size() && i < d["nodes"].size(); ++i) {
    try {
      auto role = redis::sync_command(servers()[i]->endpoint(), {"ROLE"}, milliseconds(500));
      if (!role.elements.empty()) d["nodes"][i]["role"] = role.elements[0].str;
    } catch (const std::exception&) {
      // a node that is down now (a fault) has no role to report
    }
  }
  return d;
}

}  // namespace redproof
