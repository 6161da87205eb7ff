// What the workers, the nemesis and the signal handler of one run share.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace redproof {

class RunState {
 public:
  // Ctrl-C, SIGTERM or a fatal error: stop starting operations, heal, report.
  void request_stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
      interrupted_ = true;
    }
    cv_.notify_all();
  }
  bool stop_requested() const { return stop_.load(); }

  // The load phase is over: the nemesis stops and heals, workers stop; not an interruption.
  void end_load() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
  }
  // Lets workers run again for the final phase; false when the run was interrupted meanwhile.
  bool begin_final_phase() {
    std::lock_guard lock(mu_);
    if (interrupted_) return false;
    stop_ = false;
    return true;
  }

  // Sleeps until `deadline` or a stop request; true when the deadline was reached.
  template <class Clock, class Duration>
  bool sleep_until(std::chrono::time_point<Clock, Duration> deadline) {
    std::unique_lock lock(mu_);
    return !cv_.wait_until(lock, deadline, [&] { return stop_.load(); });
  }

  std::int64_t next_process() { return next_process_++; }
  void set_first_free_process(std::int64_t p) { next_process_ = p; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  bool interrupted_ = false;  // under mu_
  std::atomic<std::int64_t> next_process_{0};
};

}  // namespace redproof
