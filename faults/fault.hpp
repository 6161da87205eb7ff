// The Fault seam (Jepsen's nemesis): a fault is started and stopped by the driver's nemesis on a
// seeded schedule, every start and stop is recorded in the history as a nemesis event, and
// heal() undoes whatever is still in effect. heal() is idempotent and never throws: it runs on
// normal ends, on errors and on Ctrl-C.
//
// Nemesis events are recorded as `{"process":"nemesis","type":"info","f":ACTION,
// "value":{"fault":NAME,"phase":"start"|"stop","target":...}}` (see checkers/fault_windows.hpp).
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "core/random.hpp"

namespace redproof {

// What a start or stop did, for the history. `record` is false when the action only prepared
// something that will record itself when it strikes (a client pause at a hook point).
struct FaultAction {
  std::string f;                    // "pause", "resume", "kill", ...
  nlohmann::json target = nullptr;  // which node or process
  bool record = true;
};

class Fault {
 public:
  virtual ~Fault() = default;
  virtual std::string name() const = 0;
  // How long the next occurrence should last.
  virtual std::chrono::milliseconds duration(Random& rng) = 0;
  // Throw std::runtime_error when the fault cannot be applied; the nemesis records the failure.
  virtual FaultAction start(Random& rng) = 0;
  virtual FaultAction stop() = 0;
  virtual void heal() noexcept = 0;
  // Aimed at a client's hook (--fault-at), whether that client goes on only once the fault has
  // stopped: a holder must find its server restarted empty; a client between two requests to a
  // paused server (`hook_between_requests`, core/hook.hpp) may send its next one only after the
  // resume. False: it goes on once the fault has started.
  virtual bool aimed_client_waits_for_stop(bool hook_between_requests) const {
    (void)hook_between_requests;
    return false;
  }
};

}  // namespace redproof
