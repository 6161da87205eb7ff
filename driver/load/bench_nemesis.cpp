#include "driver/load/bench_nemesis.hpp"

#include "core/random.hpp"
#include "driver/nemesis.hpp"

namespace redproof::load {

BenchNemesis::BenchNemesis(const std::vector<Fault*>& faults, std::chrono::nanoseconds interval,
                           std::chrono::nanoseconds duration, std::uint64_t seed,
                           const std::string& log_path, LoadProgress& progress)
    : writer_(log_path), recorder_(writer_, clock_), windows_(&progress) {
  NemesisSchedule schedule;
  schedule.interval = interval;
  schedule.end_ns = duration.count();
  schedule.on_window = [this](const std::string& fault, bool open) {
    const double at_s = clock_.now_ns() / 1e9;
    if (open) {
      windows_.open(fault, at_s);
    } else {
      windows_.close(at_s);
    }
  };
  thread_ = std::thread([this, &faults, schedule, seed] {
    run_nemesis(faults, schedule, Random(seed).fork("nemesis"), clock_, recorder_, state_);
  });
}

BenchNemesis::~BenchNemesis() {
  finish();
}

std::vector<BenchFaultWindow> BenchNemesis::finish() {
  if (thread_.joinable()) {
    state_.end_load();  // the nemesis stops starting faults and heals them all
    thread_.join();
  }
  return windows_.windows();
}

}  // namespace redproof::load
