// Starts a run's workers over its event loops, as `run` and `bench --workload` both do: worker w
// on loop w % loops, the first exception any worker ends with kept (and the run asked to stop),
// and a callback when the last worker has ended.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>

#include "driver/load/event_loops.hpp"
#include "driver/worker.hpp"

namespace redproof {

class WorkerPool {
 public:
  // `on_last_done` runs on the last worker's loop once every worker has ended.
  void spawn(WorkerEnvironment& env, int workers, load::EventLoops& loops,
             std::function<void()> on_last_done = {});

  int running() const { return running_.load(); }
  // The first exception's message, empty when every worker ended normally.
  std::string failure() const;

 private:
  std::atomic<int> running_{0};
  mutable std::mutex mu_;
  std::string failure_;
};

}  // namespace redproof
