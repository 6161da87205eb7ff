// The periods during which each fault was in effect, read back from the history's nemesis
// events (`value` = {"fault": NAME, "phase": "start"|"stop"|"heal", "target": ...}). Checkers
// use them to say which fault was active when an anomaly happened; reports shade them; the
// latency checker gives figures per window.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/op.hpp"

namespace redproof {

struct FaultWindow {
  std::string fault;                // "pause-client", "pause-server", ...
  std::string action;               // the start event's f ("pause", "kill", ...)
  nlohmann::json target = nullptr;  // as the start event recorded it
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;   // the matching stop (or heal); the history's end when neither came
  bool healed_only = false;  // ended by the final heal rather than its own stop
};

// Windows in start order. A start is matched with the next stop of the same fault and target
// (or, failing that, of the same fault), then with a heal of that fault.
std::vector<FaultWindow> fault_windows(const std::vector<Op>& history);

// The windows that overlap [from_ns, to_ns] (closed), as "fault (action target)" labels, or
// ["none"] when no fault was active.
std::vector<std::string> active_faults(const std::vector<FaultWindow>& windows,
                                       std::int64_t from_ns, std::int64_t to_ns);

std::string describe(const FaultWindow& window);
nlohmann::json to_json(const FaultWindow& window);

}  // namespace redproof
