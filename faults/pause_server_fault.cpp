#include "faults/pause_server_fault.hpp"

#include <stdexcept>

namespace redproof {

PauseServerFault::PauseServerFault(ServerControl& servers, std::chrono::milliseconds min_pause,
                                   std::chrono::milliseconds max_pause)
    : servers_(servers), min_pause_(min_pause), max_pause_(max_pause) {}

std::chrono::milliseconds PauseServerFault::duration(Random& rng) {
  return std::chrono::milliseconds(rng.uniform(min_pause_.count(), max_pause_.count()));
}

FaultAction PauseServerFault::start(Random& rng) {
  auto names = servers_.server_names();
  if (names.empty()) throw std::runtime_error("pause-server: the topology has no server");
  const std::string& target = names[rng.uniform(0, static_cast<std::int64_t>(names.size()) - 1)];
  servers_.pause_server(target);
  paused_.insert(target);
  return {"pause", {{"node", target}}};
}

FaultAction PauseServerFault::stop() {
  nlohmann::json nodes = nlohmann::json::array();
  for (const auto& name : paused_) {
    servers_.resume_server(name);
    nodes.push_back(name);
  }
  paused_.clear();
  // One server at a time is paused, so the target matches its start's.
  if (nodes.size() == 1) return {"resume", {{"node", nodes[0]}}};
  return {"resume", {{"nodes", nodes}}, !nodes.empty()};
}

void PauseServerFault::heal() noexcept {
  // Resume every server, not only those we know we paused: a start may have thrown after the
  // signal went out.
  for (const auto& name : servers_.server_names()) {
    try {
      servers_.resume_server(name);
    } catch (...) {
    }
  }
  paused_.clear();
}

}  // namespace redproof
