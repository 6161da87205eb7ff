// The monotonic clock of a run. History times and latencies are nanoseconds since the run
// started, from steady_clock; wall-clock time is used only for labels (directory names, run.json).
#pragma once

#include <chrono>
#include <cstdint>

namespace redproof {

class RunClock {
 public:
  RunClock() : start_(std::chrono::steady_clock::now()) {}
  std::int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                start_)
        .count();
  }
  std::chrono::steady_clock::time_point start() const { return start_; }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace redproof
