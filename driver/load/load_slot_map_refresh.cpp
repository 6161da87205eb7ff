#include "driver/load/load_slot_map_refresh.hpp"

#include <exception>

#include "redis/sync_command.hpp"

namespace redproof::load {

namespace {
constexpr auto kRefreshInterval = std::chrono::seconds(1);
}

SlotMapRefresh::SlotMapRefresh(SlotMap& map, redis::AddressMap redirect_to,
                               std::chrono::milliseconds asked_timeout)
    : map_(map), redirect_to_(std::move(redirect_to)), timeout_(asked_timeout) {
  thread_ = std::thread([this] { run(); });
}

SlotMapRefresh::~SlotMapRefresh() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_wake_.notify_all();
  thread_.join();
}

bool SlotMapRefresh::stopping() {
  std::lock_guard lock(mutex_);
  return stop_;
}

void SlotMapRefresh::run() {
  std::unique_lock lock(mutex_);
  while (!stop_wake_.wait_for(lock, kRefreshInterval, [this] { return stop_; })) {
    lock.unlock();
    refresh_once();
    lock.lock();
  }
}

// Asks the nodes in turn (the masters first) until one answers with a map it can parse. A dead
// or stopped node costs one time-out; a node that knows no better (a failover not yet agreed)
// gives the same owners, which changes nothing.
void SlotMapRefresh::refresh_once() {
  for (const redis::Endpoint& node : map_.nodes()) {
    if (stopping()) return;  // the load ended: do not make it wait for more time-outs
    try {
      const redis::Reply reply = redis::sync_command(node, {"CLUSTER", "SLOTS"}, timeout_);
      map_.adopt(parse_cluster_slots(reply, node, redirect_to_));
      return;
    } catch (const std::exception&) {
      // Unreachable, or not (yet) a whole map: ask the next node.
    }
  }
}

}  // namespace redproof::load
