// One lock client's life, as a generator: acquire (retrying while busy), hold for a while, write
// to the protected resource, release, pause briefly, again. After the load phase ends it only
// releases what it holds. Pure: time comes from the caller.
#pragma once

#include <cstdint>
#include <string>

#include "core/random.hpp"
#include "workloads/generator.hpp"
#include "workloads/lock/lock_options.hpp"

namespace redproof::lock {

class LockGenerator : public Generator {
 public:
  LockGenerator(const LockOptions& options, int worker, Random rng, std::int64_t end_ns);

  GeneratorStep next(std::int64_t now_ns) override;
  void update(const Op& completion) override;
  void process_replaced() override;

 private:
  enum class Phase { kAcquire, kHold, kWork, kWrite, kRelease, kDone };

  // watchdog: work, renewing every ttl/3, then write.
  GeneratorStep work(std::int64_t now_ns);

  std::string owner_value() const;

  LockOptions options_;
  int worker_;
  Random rng_;
  std::int64_t end_ns_;
  Phase phase_ = Phase::kAcquire;
  std::int64_t wait_ns_ = 0;  // a wait to return before the next phase's operation
  std::int64_t attempt_ = 0;  // numbers owners: unique per worker and acquisition attempt
  std::string key_;
  std::string fence_ = "null";
  std::int64_t work_end_ns_ = -1;  // watchdog: set when work starts
  bool renew_next_ = false;        // watchdog: the wait before a renewal is over
};

}  // namespace redproof::lock
