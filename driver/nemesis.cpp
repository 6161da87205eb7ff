#include "driver/nemesis.hpp"

#include <algorithm>
#include <optional>

namespace redproof {

namespace {

void record(HistoryRecorder& recorder, const Fault& fault, const FaultAction& action,
            const char* phase, const nlohmann::json& trigger = nullptr) {
  if (action.record) recorder.nemesis(action.f, fault.name(), phase, action.target, {}, trigger);
}

// A fault boundary: everything recorded so far goes to disk before the nemesis goes on. A disk
// that refuses is reported by the history writer's next write, which fails the same way.
void sync_history(HistoryRecorder& recorder) {
  try {
    recorder.sync();
  } catch (const std::exception&) {
  }
}

// With a trigger, the moment a client reaches its hook ({"hook", "process"}); null when the
// schedule has no trigger. Nullopt when no client reached it before the last start.
std::optional<nlohmann::json> wait_for_trigger(const NemesisSchedule& schedule,
                                               std::int64_t last_start, const RunClock& clock,
                                               RunState& state) {
  if (!schedule.trigger) return nlohmann::json(nullptr);
  auto who = schedule.trigger->wait_for_client(clock.start() + std::chrono::nanoseconds(last_start),
                                               [&] { return state.stop_requested(); });
  if (!who) return std::nullopt;
  return nlohmann::json{{"hook", schedule.trigger->hook()}, {"process", *who}};
}

void tell_window(const NemesisSchedule& schedule, const Fault& fault, bool open) {
  if (schedule.on_window) schedule.on_window(fault.name(), open);
}

}  // namespace

void run_nemesis(const std::vector<Fault*>& faults, const NemesisSchedule& schedule, Random rng,
                 const RunClock& clock, HistoryRecorder& recorder, RunState& state) {
  const std::int64_t last_start = schedule.end_ns - schedule.quiet.count();
  std::int64_t next = schedule.first_delay.count();
  while (!faults.empty() && !state.stop_requested()) {
    if (next >= last_start) break;
    if (!state.sleep_until(clock.start() + std::chrono::nanoseconds(next))) break;
    Fault& fault = *faults[rng.uniform(0, static_cast<std::int64_t>(faults.size()) - 1)];
    const auto trigger = wait_for_trigger(schedule, last_start, clock, state);
    if (!trigger) break;
    bool started = true;
    tell_window(schedule, fault, true);
    try {
      record(recorder, fault, fault.start(rng), "start", *trigger);
    } catch (const std::exception& e) {
      recorder.nemesis("error", fault.name(), "start-failed", nullptr, e.what());
      fault.heal();
      tell_window(schedule, fault, false);
      started = false;
    }
    const bool release_after_stop =
        started && schedule.trigger &&
        fault.aimed_client_waits_for_stop(schedule.trigger->between_requests());
    // The client at the hook goes on, now or once the fault has stopped.
    if (schedule.trigger && !release_after_stop) schedule.trigger->release();
    sync_history(recorder);
    if (!started) break;
    // A fault that would outlast the load is cut short: the quiet period must be fault-free.
    auto length = std::chrono::duration_cast<std::chrono::nanoseconds>(fault.duration(rng));
    std::int64_t stop_at = std::min(clock.now_ns() + length.count(), last_start);
    state.sleep_until(clock.start() + std::chrono::nanoseconds(stop_at));
    try {
      record(recorder, fault, fault.stop(), "stop");
    } catch (const std::exception& e) {
      recorder.nemesis("error", fault.name(), "stop-failed", nullptr, e.what());
      fault.heal();
    }
    tell_window(schedule, fault, false);
    if (schedule.trigger && release_after_stop) schedule.trigger->release();
    sync_history(recorder);
    const std::int64_t gap = schedule.interval.count();
    next = clock.now_ns() + rng.uniform(gap / 2, gap + gap / 2);
  }
  heal_all(faults, recorder);
}

void heal_all(const std::vector<Fault*>& faults, HistoryRecorder& recorder) {
  for (Fault* f : faults) {
    f->heal();
    recorder.nemesis("heal", f->name(), "heal", nullptr);
  }
  sync_history(recorder);
}

}  // namespace redproof
