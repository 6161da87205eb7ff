// One client worker: asks its generator for operations, has its client perform them, records
// invoke and completion, and moves to a fresh process after an `info` (Jepsen's rule).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/random.hpp"
#include "driver/history_recorder.hpp"
#include "driver/hook_trigger.hpp"
#include "driver/run_state.hpp"
#include "driver/topology/topology.hpp"
#include "redis/connection.hpp"
#include "workloads/workload.hpp"

namespace redproof {
namespace load {
class LoadRecording;
struct LoadProgress;
}  // namespace load

class PauseClientFault;

struct WorkerEnvironment {
  Workload* workload = nullptr;
  HistoryRecorder* recorder = nullptr;
  RunState* state = nullptr;
  PauseClientFault* pause_client = nullptr;  // null unless the pause-client fault is on
  std::vector<Hook> declared_hooks;          // the workload's; a client may await no other
  HookTrigger* trigger = nullptr;            // --fault-at: faults strike when a client is here
  const Topology* topology = nullptr;        // where each worker sends requests (client_node)
  redis::ConnectionOptions connection;
  std::int64_t start_ns = 0;     // the load phase starts
  std::int64_t end_ns = 0;       // the load phase ends: generators start nothing new
  std::int64_t hard_end_ns = 0;  // workers stop even in the middle of a sequence
  // Open loop from --rate (operations per second over all workers), on the load engine's
  // schedule (load::OpenLoopSchedule); 0 = closed loop, as fast as it goes.
  double rate = 0;
  int workers = 1;
  // Operations that fell due before end_ns and were never sent (the schedule was behind at the
  // end). Workers on several loops (--threads) add to it.
  std::atomic<std::uint64_t> unsent{0};
  // Waits before reconnecting after an `info` (reconnect_backoff.hpp): how many, how long.
  std::atomic<std::uint64_t> backoffs{0};
  std::atomic<std::int64_t> backoff_ns{0};
  std::uint64_t seed = 0;
  // The final phase: workers run the workload's final generators under fresh processes.
  bool final_phase = false;
  // `bench --workload`: each worker also measures its operations into its event loop's
  // recording (worker w into recordings[w % size]), on the load engine's clock, which starts
  // at start_ns. Empty in `run`, which measures from the history.
  std::vector<load::LoadRecording*> recordings;
  load::LoadProgress* progress = nullptr;
};

boost::asio::awaitable<void> run_worker(WorkerEnvironment& env, int worker);

}  // namespace redproof
