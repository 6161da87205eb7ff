// pause-client: a client stops acting for longer than its lease at a hook point of its
// operation (after checking its lock's validity, say), as in a GC pause, while the others run.
//
// The nemesis arms a pause; the first worker to reach one of the chosen hook points takes it
// (take()), sleeps, and records the pause itself, because only it knows when it struck. No I/O
// here: the driver does the sleeping.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "faults/fault.hpp"

namespace redproof {

class PauseClientFault : public Fault {
 public:
  // `hooks`: the workload's hook points where a pause matters; `length`: how long a pause lasts.
  PauseClientFault(std::vector<std::string> hooks, std::chrono::milliseconds length);

  std::string name() const override { return "pause-client"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override;

  // Called by a worker at a hook point: the pause to take now, if one is armed for this hook.
  std::optional<std::chrono::milliseconds> take(std::string_view hook);
  std::chrono::milliseconds length() const { return length_; }

 private:
  std::vector<std::string> hooks_;
  std::chrono::milliseconds length_;
  std::mutex mu_;
  std::optional<std::string> armed_hook_;
};

}  // namespace redproof
