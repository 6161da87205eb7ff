// Faults aimed at the moment that matters (`--fault-at HOOK`): instead of starting on the clock,
// each fault the seeded schedule starts waits until a client reaches HOOK (a holder between its
// GET and its DEL, a lock just acquired), strikes then, and only then lets that client go on. The
// schedule's times and choices stay drawn from the seed; the nemesis event records which process
// and hook triggered it. Thread-safe: the nemesis runs on its own thread, workers on event loops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/hook.hpp"

namespace redproof {

class HookTrigger {
 public:
  explicit HookTrigger(const Hook& hook)
      : hook_(hook.name), between_requests_(hook.between_requests) {}
  const std::string& hook() const { return hook_; }
  // The hook sits between two requests to one server (core/hook.hpp).
  bool between_requests() const { return between_requests_; }

  // Nemesis: arms the trigger and waits until a client reaches the hook or `deadline` passes (or
  // `give_up()` turns true, polled every 20 ms). Returns the process that reached it; the client
  // then waits until released().
  template <typename Deadline, typename GiveUp>
  std::optional<std::int64_t> wait_for_client(Deadline deadline, GiveUp give_up) {
    std::unique_lock lock(mu_);
    armed_ = true;
    reached_.reset();
    while (!reached_ && std::chrono::steady_clock::now() < deadline && !give_up()) {
      cv_.wait_for(lock, std::chrono::milliseconds(20));
    }
    armed_ = false;
    return reached_;
  }

  // Nemesis: the fault has started (or could not): the waiting client goes on.
  void release() {
    std::lock_guard lock(mu_);
    reached_.reset();
    ++releases_;
  }

  // Worker, at every hook it passes: true when this client is the one the armed trigger caught;
  // it must then wait until released() moves past `ticket` before going on.
  bool reached(std::string_view hook, std::int64_t process, std::uint64_t& ticket) {
    std::lock_guard lock(mu_);
    if (!armed_ || reached_ || hook != hook_) return false;
    reached_ = process;
    armed_ = false;
    ticket = releases_;
    cv_.notify_all();
    return true;
  }
  bool released(std::uint64_t ticket) const {
    std::lock_guard lock(mu_);
    return releases_ > ticket;
  }

 private:
  std::string hook_;
  bool between_requests_ = false;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool armed_ = false;
  std::optional<std::int64_t> reached_;
  std::uint64_t releases_ = 0;
};

}  // namespace redproof
