// `bench --fault`: run's nemesis (driver/nemesis) beside the load, on its own thread from
// construction, with run's schedule, faults and final heal. It opens and closes the fault
// windows the load records latency under (FaultWindowLog, LoadProgress::fault_window).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/history_writer.hpp"
#include "driver/history_recorder.hpp"
#include "driver/load/bench_fault_windows.hpp"
#include "driver/run_state.hpp"
#include "faults/fault.hpp"

namespace redproof::load {

class BenchNemesis {
 public:
  // Starts at once: `faults` (which must outlive it) on a schedule drawn from `seed`, a fault
  // every `interval` on average, none in the last second of `duration`. The nemesis's events go
  // to `log_path` (a history file). Throws std::runtime_error when that cannot be created.
  BenchNemesis(const std::vector<Fault*>& faults, std::chrono::nanoseconds interval,
               std::chrono::nanoseconds duration, std::uint64_t seed, const std::string& log_path,
               LoadProgress& progress);
  ~BenchNemesis();
  BenchNemesis(const BenchNemesis&) = delete;
  BenchNemesis& operator=(const BenchNemesis&) = delete;

  // Ends the nemesis, which heals every fault, and returns the windows (times in seconds from
  // its start, which is the load's start within the time it takes the engine to begin).
  std::vector<BenchFaultWindow> finish();

 private:
  RunClock clock_;
  HistoryWriter writer_;
  HistoryRecorder recorder_;
  RunState state_;
  FaultWindowLog windows_;
  std::thread thread_;
};

}  // namespace redproof::load
