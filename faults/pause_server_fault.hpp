// pause-server: SIGSTOP a redis-server, SIGCONT it later. The server keeps its sockets open and
// its clock running, so clients time out and TTLs run out while it is stopped.
#pragma once

#include <set>
#include <string>

#include "faults/fault.hpp"
#include "faults/server_control.hpp"

namespace redproof {

class PauseServerFault : public Fault {
 public:
  PauseServerFault(ServerControl& servers, std::chrono::milliseconds min_pause,
                   std::chrono::milliseconds max_pause);
  std::string name() const override { return "pause-server"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override;

 private:
  ServerControl& servers_;
  std::chrono::milliseconds min_pause_;
  std::chrono::milliseconds max_pause_;
  std::set<std::string> paused_;
};

}  // namespace redproof
