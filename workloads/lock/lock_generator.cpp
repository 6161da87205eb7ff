#include "workloads/lock/lock_generator.hpp"

#include <fmt/format.h>

#include "core/json_text.hpp"

namespace redproof::lock {

namespace {
std::int64_t ns(std::chrono::milliseconds ms) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(ms).count();
}

// The "fence" field of an acquire's ok value, as JSON text ("null" when there is none).
std::string fence_of(const std::string& value) {
  auto pos = value.find("\"fence\":");
  if (pos == std::string::npos) return "null";
  pos += 8;
  auto end = value.find_first_of(",}", pos);
  return value.substr(pos, end - pos);
}
}  // namespace

LockGenerator::LockGenerator(const LockOptions& options, int worker, Random rng,
                             std::int64_t end_ns)
    : options_(options), worker_(worker), rng_(rng), end_ns_(end_ns) {}

std::string LockGenerator::owner_value() const {
  return fmt::format("{{\"owner\":{},\"ttl_ms\":{}}}",
                     json_text::quote(fmt::format("w{}-{}", worker_, attempt_)),
                     options_.ttl.count());
}

GeneratorStep LockGenerator::next(std::int64_t now_ns) {
  if (wait_ns_ > 0) {
    auto w = wait_ns_;
    wait_ns_ = 0;
    return GeneratorStep::wait(w);
  }
  const bool over = now_ns >= end_ns_;
  const std::string owner = json_text::quote(fmt::format("w{}-{}", worker_, attempt_));
  switch (phase_) {
    case Phase::kAcquire: {
      if (over) return GeneratorStep::done();
      ++attempt_;
      // A hash tag, so that the lock and its fencing counter ("lock:{0}:fence") live in one
      // Redis Cluster slot and one script may touch both.
      key_ = fmt::format("lock:{{{}}}", rng_.uniform(0, options_.locks - 1));
      return GeneratorStep::operation("acquire", key_, owner_value());
    }
    case Phase::kWork:
      return work(now_ns);
    case Phase::kHold:
      phase_ = over ? Phase::kRelease : Phase::kWrite;
      return GeneratorStep::wait(rng_.uniform(ns(options_.hold_min), ns(options_.hold_max)));
    case Phase::kWrite:
      if (over) {
        phase_ = Phase::kRelease;
        return next(now_ns);
      }
      return GeneratorStep::operation("write", key_,
                                      fmt::format("{{\"owner\":{},\"fence\":{}}}", owner, fence_));
    case Phase::kRelease:
      return GeneratorStep::operation("release", key_, fmt::format("{{\"owner\":{}}}", owner));
    case Phase::kDone:
      return GeneratorStep::done();
  }
  return GeneratorStep::done();
}

GeneratorStep LockGenerator::work(std::int64_t now_ns) {
  if (work_end_ns_ < 0) work_end_ns_ = now_ns + ns(options_.work);
  if (now_ns >= end_ns_ || now_ns >= work_end_ns_) {
    phase_ = now_ns >= end_ns_ ? Phase::kRelease : Phase::kWrite;
    return next(now_ns);
  }
  if (!renew_next_) {
    renew_next_ = true;
    return GeneratorStep::wait(std::min(ns(options_.renew_every()), work_end_ns_ - now_ns));
  }
  renew_next_ = false;
  return GeneratorStep::operation("renew", key_, owner_value());
}

void LockGenerator::update(const Op& completion) {
  if (completion.type == OpType::kInfo) return;  // process_replaced() follows
  if (completion.f == "renew" && completion.type != OpType::kOk) {
    // The lease is gone: the holder stops working and tries to acquire again.
    phase_ = Phase::kAcquire;
    wait_ns_ = ns(options_.retry);
  } else if (completion.f == "acquire") {
    if (completion.type == OpType::kOk) {
      fence_ = fence_of(completion.value);
      phase_ = options_.variant == LockVariant::kWatchdog ? Phase::kWork : Phase::kHold;
      work_end_ns_ = -1;
      renew_next_ = false;
    } else {
      wait_ns_ = ns(options_.retry) + rng_.uniform(0, ns(options_.retry));
    }
  } else if (completion.f == "write") {
    phase_ = Phase::kRelease;
  } else if (completion.f == "release") {
    phase_ = Phase::kAcquire;
    wait_ns_ = rng_.uniform(0, ns(options_.retry));
  }
}

void LockGenerator::process_replaced() {
  // The new process holds nothing; whatever the old one held expires with its TTL.
  phase_ = Phase::kAcquire;
  wait_ns_ = ns(options_.retry);
}

}  // namespace redproof::lock
