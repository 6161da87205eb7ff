// The nemesis: on its own thread (fault actions block: a restart waits for the server), it starts
// and stops the run's faults on a schedule drawn from the seed, records each start and stop, keeps
// a quiet period before the end of the load, and heals every fault before it returns. The history
// is synced to disk at every fault's start and stop (and after the final heal), so what a fault did
// is on disk before the next one starts, even if the machine then dies.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "driver/history_recorder.hpp"
#include "driver/hook_trigger.hpp"
#include "driver/run_state.hpp"
#include "faults/fault.hpp"

namespace redproof {

struct NemesisSchedule {
  std::chrono::nanoseconds interval = std::chrono::seconds(2);  // mean quiet time between faults
  std::chrono::nanoseconds first_delay = std::chrono::seconds(1);
  std::int64_t end_ns = 0;  // no fault starts after end_ns - quiet
  std::chrono::nanoseconds quiet = std::chrono::seconds(1);
  // `--fault-at HOOK`: each start waits for a client to reach the hook (null: on the clock).
  HookTrigger* trigger = nullptr;
  // Told on the nemesis thread when a fault's window opens (just before its start action) and
  // closes (once its stop, or the heal after a failed action, has returned): bench's latency
  // per fault window. May be empty.
  std::function<void(const std::string& fault, bool open)> on_window;
};

// Runs until the schedule ends or a stop is requested, then heals. Never throws.
void run_nemesis(const std::vector<Fault*>& faults, const NemesisSchedule& schedule, Random rng,
                 const RunClock& clock, HistoryRecorder& recorder, RunState& state);

// Heals every fault and records it; safe to call more than once.
void heal_all(const std::vector<Fault*>& faults, HistoryRecorder& recorder);

}  // namespace redproof
