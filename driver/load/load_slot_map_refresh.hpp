// Keeps the load engine's slot map current while a cluster load runs: every second it reads
// CLUSTER SLOTS from the first node that answers and adopts the owners. A MOVED reply updates
// a slot on its own, but a master that died sends none: without this its slots would stay with
// it after a replica took them over, and its share of the load would be lost to the end.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "driver/load/load_slot_map.hpp"

namespace redproof::load {

class SlotMapRefresh {
 public:
  // Starts refreshing `map` (which must outlive this). `asked_timeout` bounds each question.
  SlotMapRefresh(SlotMap& map, redis::AddressMap redirect_to,
                 std::chrono::milliseconds asked_timeout);
  // Stops and joins: returns within one question's time-out.
  ~SlotMapRefresh();
  SlotMapRefresh(const SlotMapRefresh&) = delete;
  SlotMapRefresh& operator=(const SlotMapRefresh&) = delete;

 private:
  void run();
  void refresh_once();
  bool stopping();

  SlotMap& map_;
  redis::AddressMap redirect_to_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable stop_wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace redproof::load
