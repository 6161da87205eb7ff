// pause-server: SIGSTOP a redis-server, SIGCONT it later. The server keeps its sockets open and
// its clock running, so clients time out and TTLs run out while it is stopped.
//
// Or, as Redis itself offers, `CLIENT PAUSE ms ALL`: the server stays alive (replicas are still
// served) but answers no client until the pause's own time-out. Under ALL even CLIENT UNPAUSE
// waits, so the pause is given exactly the occurrence's length and stop and heal wait for it to
// end: a pause outlives no harness.
#pragma once

#include <set>
#include <string>

#include "faults/fault.hpp"
#include "faults/server_control.hpp"

namespace redproof {

class PauseServerFault : public Fault {
 public:
  enum class Method { kSignal, kClientPause, kEither };  // kEither: seeded, per occurrence
  PauseServerFault(ServerControl& servers, std::chrono::milliseconds min_pause,
                   std::chrono::milliseconds max_pause, Method method = Method::kSignal);
  std::string name() const override { return "pause-server"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override;
  // Aimed at a hook between two requests (--fault-at), the client there goes on once the server
  // answers again, as if the server had stopped after running that client's last request and
  // before its reply left (Redis writes replies after the event loop's commands): the client's
  // next request then queues behind every request sent during the pause. Released at the start
  // instead, its next request would reach the stopped server first and be served first, and a
  // get-del holder's DEL could never land after a rival's SET NX (0 of 8 seeds found the double
  // holder). At any other hook (after a validity check) holding the client would be a client
  // pause, so it goes on at the start.
  bool aimed_client_waits_for_stop(bool hook_between_requests) const override {
    return hook_between_requests;
  }

 private:
  ServerControl& servers_;
  std::chrono::milliseconds min_pause_;
  std::chrono::milliseconds max_pause_;
  std::set<std::string> paused_;         // by signal
  std::set<std::string> client_paused_;  // by CLIENT PAUSE
  Method method_;
  std::chrono::milliseconds next_length_{0};  // chosen by a CLIENT PAUSE start
  std::chrono::steady_clock::time_point client_pause_ends_{};
  void wait_for_client_pause() const;
};

}  // namespace redproof
