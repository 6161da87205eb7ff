// clock-jump: emulates the server's clock jumping forward by Δ, as far as what the patterns see:
// every key's remaining TTL is shortened by Δ, and keys with less than Δ left expire at once. It
// runs as one Lua script, so the jump is atomic like a clock's. Redis itself uses a monotonic
// clock for most timing, so a wall-clock jump's visible effect is on expiry, which this covers;
// nothing is undone at stop (time does not jump back).
#pragma once

#include <string>

#include "faults/fault.hpp"
#include "faults/replication_control.hpp"
#include "faults/server_control.hpp"

namespace redproof {

class ClockJumpFault : public Fault {
 public:
  // `replication` may be null; when given, the primary jumps (its replicas follow its expiry).
  ClockJumpFault(ServerControl& servers, ReplicationControl* replication,
                 std::chrono::milliseconds min_jump, std::chrono::milliseconds max_jump);
  std::string name() const override { return "clock-jump"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override {}

  // Shortens every TTL on the server at `at` by `jump`; returns {shortened, expired}.
  static std::pair<std::int64_t, std::int64_t> jump(const redis::Endpoint& at,
                                                    std::chrono::milliseconds jump);

 private:
  ServerControl& servers_;
  ReplicationControl* replication_;
  std::chrono::milliseconds min_jump_;
  std::chrono::milliseconds max_jump_;
  std::string last_node_;
};

}  // namespace redproof
