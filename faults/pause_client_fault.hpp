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

#include "core/hook.hpp"
#include "faults/fault.hpp"

namespace redproof {

class PauseClientFault : public Fault {
 public:
  // `hooks`: the workload's hook points where a pause matters; `length`: how long a pause lasts.
  PauseClientFault(std::vector<Hook> hooks, std::chrono::milliseconds length);

  std::string name() const override { return "pause-client"; }
  std::chrono::milliseconds duration(Random& rng) override;
  FaultAction start(Random& rng) override;
  FaultAction stop() override;
  void heal() noexcept override;

  // Called by a worker at a hook point: the pause to take now, if one is armed for this hook
  // (for a hook whose effect is kCrash, the worker's process dies there instead).
  std::optional<std::chrono::milliseconds> take(const Hook& hook);
  // Whether `hook` is one this run offered (a client awaiting any other is a programming error).
  bool declares(const Hook& hook) const;
  std::chrono::milliseconds length() const { return length_; }

 private:
  std::vector<Hook> hooks_;
  std::chrono::milliseconds length_;
  std::mutex mu_;
  std::optional<Hook> armed_hook_;
};

}  // namespace redproof
