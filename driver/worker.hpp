// One client worker: asks its generator for operations, has its client perform them, records
// invoke and completion, and moves to a fresh process after an `info` (Jepsen's rule).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "core/random.hpp"
#include "driver/history_recorder.hpp"
#include "driver/run_state.hpp"
#include "driver/topology/topology.hpp"
#include "redis/connection.hpp"
#include "workloads/workload.hpp"

namespace redproof {

class PauseClientFault;

struct WorkerEnvironment {
  Workload* workload = nullptr;
  HistoryRecorder* recorder = nullptr;
  RunState* state = nullptr;
  PauseClientFault* pause_client = nullptr;  // null unless the pause-client fault is on
  const Topology* topology = nullptr;        // where each worker sends requests (client_node)
  redis::ConnectionOptions connection;
  std::int64_t end_ns = 0;          // the load phase ends: generators start nothing new
  std::int64_t hard_end_ns = 0;     // workers stop even in the middle of a sequence
  std::int64_t op_interval_ns = 0;  // per-worker pacing from --rate; 0 = as fast as it goes
  std::uint64_t seed = 0;
  // The final phase: workers run the workload's final generators under fresh processes.
  bool final_phase = false;
};

boost::asio::awaitable<void> run_worker(WorkerEnvironment& env, int worker);

}  // namespace redproof
