#include "faults/pause_server_fault.hpp"

#include <stdexcept>
#include <thread>
#include <utility>

#include "redis/sync_command.hpp"

namespace redproof {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kControlTimeout{2000};

}  // namespace

PauseServerFault::PauseServerFault(ServerControl& servers, milliseconds min_pause,
                                   milliseconds max_pause, Method method)
    : servers_(servers), min_pause_(min_pause), max_pause_(max_pause), method_(method) {}

milliseconds PauseServerFault::duration(Random& rng) {
  if (next_length_.count() > 0) return std::exchange(next_length_, milliseconds(0));
  return milliseconds(rng.uniform(min_pause_.count(), max_pause_.count()));
}

void PauseServerFault::wait_for_client_pause() const {
  std::this_thread::sleep_until(client_pause_ends_);
}

FaultAction PauseServerFault::start(Random& rng) {
  auto names = servers_.server_names();
  if (names.empty()) throw std::runtime_error("pause-server: the topology has no server");
  const std::string& target = names[rng.uniform(0, static_cast<std::int64_t>(names.size()) - 1)];
  const bool by_client_pause =
      method_ == Method::kClientPause || (method_ == Method::kEither && rng.uniform(0, 1) == 1);
  if (by_client_pause) {
    next_length_ = milliseconds(rng.uniform(min_pause_.count(), max_pause_.count()));
    client_paused_.insert(target);
    client_pause_ends_ = std::chrono::steady_clock::now() + next_length_;
    auto r = redis::sync_command(servers_.server_endpoint(target),
                                 {"CLIENT", "PAUSE", std::to_string(next_length_.count()), "ALL"},
                                 kControlTimeout);
    if (!r.is_status("OK")) throw std::runtime_error(target + ": CLIENT PAUSE: " + r.describe());
    return {"pause", {{"node", target}, {"method", "client-pause"}}};
  }
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
  if (!client_paused_.empty()) wait_for_client_pause();  // it ends by itself, on time
  for (const auto& name : client_paused_) nodes.push_back(name);
  paused_.clear();
  client_paused_.clear();
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
  if (!client_paused_.empty()) wait_for_client_pause();  // at most the pause's length
  paused_.clear();
  client_paused_.clear();
}

}  // namespace redproof
