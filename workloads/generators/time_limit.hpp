// Generator combinators on time: TimeLimit ends a generator at a time; ThinkTime waits a seeded
// random time after each completion (a user between requests); Stagger delays a worker's first
// operation so that workers do not start in lock step.
#pragma once

#include <cstdint>
#include <memory>

#include "core/random.hpp"
#include "workloads/generator.hpp"

namespace redproof::gen {

// Done once `now >= end_ns`; an operation already handed out still completes.
class TimeLimit : public Generator {
 public:
  TimeLimit(std::int64_t end_ns, std::unique_ptr<Generator> inner)
      : end_ns_(end_ns), inner_(std::move(inner)) {}

  GeneratorStep next(std::int64_t now_ns) override {
    if (now_ns >= end_ns_) return GeneratorStep::done();
    GeneratorStep s = inner_->next(now_ns);
    // A wait never runs past the end: the worker asks again then and is told it is done.
    if (s.kind == GeneratorStep::Kind::kWait) s.wait_ns = std::min(s.wait_ns, end_ns_ - now_ns);
    return s;
  }
  void update(const Op& c) override { inner_->update(c); }
  void process_replaced() override { inner_->process_replaced(); }

 private:
  std::int64_t end_ns_;
  std::unique_ptr<Generator> inner_;
};

// After each completion, a wait drawn uniformly from [min_ns, max_ns].
class ThinkTime : public Generator {
 public:
  ThinkTime(Random rng, std::int64_t min_ns, std::int64_t max_ns, std::unique_ptr<Generator> inner)
      : rng_(rng), min_ns_(min_ns), max_ns_(std::max(min_ns, max_ns)), inner_(std::move(inner)) {}

  GeneratorStep next(std::int64_t now_ns) override {
    if (thinking_ && max_ns_ > 0) {
      thinking_ = false;
      return GeneratorStep::wait(rng_.uniform(min_ns_, max_ns_));
    }
    thinking_ = false;
    return inner_->next(now_ns);
  }
  void update(const Op& c) override {
    thinking_ = true;
    inner_->update(c);
  }
  void process_replaced() override { inner_->process_replaced(); }

 private:
  Random rng_;
  std::int64_t min_ns_, max_ns_;
  std::unique_ptr<Generator> inner_;
  bool thinking_ = false;
};

// The first operation waits a seeded uniform time in [0, max_ns).
class Stagger : public Generator {
 public:
  Stagger(Random rng, std::int64_t max_ns, std::unique_ptr<Generator> inner)
      : delay_ns_(max_ns > 0 ? rng.uniform(0, max_ns - 1) : 0), inner_(std::move(inner)) {}

  GeneratorStep next(std::int64_t now_ns) override {
    if (delay_ns_ > 0) {
      const std::int64_t d = delay_ns_;
      delay_ns_ = 0;
      return GeneratorStep::wait(d);
    }
    return inner_->next(now_ns);
  }
  void update(const Op& c) override { inner_->update(c); }
  void process_replaced() override { inner_->process_replaced(); }

 private:
  std::int64_t delay_ns_;
  std::unique_ptr<Generator> inner_;
};

}  // namespace redproof::gen
