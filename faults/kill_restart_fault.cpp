#include "faults/kill_restart_fault.hpp"

#include <stdexcept>

namespace redproof {

KillRestartFault::KillRestartFault(ServerControl& servers, std::chrono::milliseconds min_down,
                                   std::chrono::milliseconds max_down)
    : servers_(servers), min_down_(min_down), max_down_(max_down) {}

std::chrono::milliseconds KillRestartFault::duration(Random& rng) {
  // Half the restarts are immediate: a supervisor restarting a crashed server at once is what
  // breaks Redlock (a master forgets a lock while its holder still counts it). The others come
  // back after a delay, as with Redlock's delayed-restart advice.
  if (rng.uniform(0, 1) == 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(rng.uniform(min_down_.count(), max_down_.count()));
}

FaultAction KillRestartFault::start(Random& rng) {
  auto names = servers_.server_names();
  if (names.empty()) throw std::runtime_error("kill-restart: the topology has no server");
  const std::string& target = names[rng.uniform(0, static_cast<std::int64_t>(names.size()) - 1)];
  down_.insert(target);  // before the kill: heal() must restart it even if the kill throws
  servers_.kill_server(target);
  return {"kill", {{"node", target}}};
}

FaultAction KillRestartFault::stop() {
  nlohmann::json target = nullptr;
  for (const auto& name : down_) {
    servers_.restart_server(name);
    target = {{"node", name}};
  }
  down_.clear();
  return {"restart", target, !target.is_null()};
}

void KillRestartFault::heal() noexcept {
  for (const auto& name : down_) {
    try {
      servers_.restart_server(name);
    } catch (...) {
    }
  }
  down_.clear();
}

}  // namespace redproof
