// kill-restart: SIGKILL a redis-server and start it again on the same port, at once or (seeded,
// half the time) after a delay. Without persistence (the default) it comes back empty, as a
// crashed cache or lock server does; with `run --persistence aof|rdb` it reloads its file.
#pragma once

#include <set>
#include <string>

#include "faults/fault.hpp"
#include "faults/server_control.hpp"

namespace redproof {

class KillRestartFault : public Fault {
 public:
  KillRestartFault(ServerControl& servers, std::chrono::milliseconds min_down,
                   std::chrono::milliseconds max_down);
  std::string name() const override { return "kill-restart"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override;
  bool aimed_client_waits_for_stop(bool) const override { return true; }

 private:
  ServerControl& servers_;
  std::chrono::milliseconds min_down_;
  std::chrono::milliseconds max_down_;
  std::set<std::string> down_;
};

}  // namespace redproof
