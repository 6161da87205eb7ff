// Generator combinators on structure: Phases runs generators one after another (seed, then load,
// then final reads); Cycle repeats a per-process script of operations (login, refresh, refresh,
// logout) where each step may look at the last completion.
#pragma once

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "core/random.hpp"
#include "workloads/generator.hpp"

namespace redproof::gen {

class Phases : public Generator {
 public:
  explicit Phases(std::vector<std::unique_ptr<Generator>> phases) : phases_(std::move(phases)) {}

  GeneratorStep next(std::int64_t now_ns) override {
    while (current_ < phases_.size()) {
      GeneratorStep s = phases_[current_]->next(now_ns);
      if (s.kind != GeneratorStep::Kind::kDone) return s;
      ++current_;
    }
    return GeneratorStep::done();
  }
  void update(const Op& c) override {
    if (current_ < phases_.size()) phases_[current_]->update(c);
  }
  void process_replaced() override {
    if (current_ < phases_.size()) phases_[current_]->process_replaced();
  }

 private:
  std::vector<std::unique_ptr<Generator>> phases_;
  std::size_t current_ = 0;
};

// One step of a cycle: the operation to issue, given the previous step's completion (null before
// the first) and the worker's Random.
using CycleStep = std::function<GeneratorStep(const Op* last, Random& rng)>;

// Issues steps[0], steps[1], ... and starts again, for ever (wrap in TimeLimit). When the
// worker's process is replaced (after an `info`), the cycle restarts from steps[0]: whatever the
// old process was in the middle of (a session, a held lock) is gone with it.
class Cycle : public Generator {
 public:
  Cycle(Random rng, std::vector<CycleStep> steps) : rng_(rng), steps_(std::move(steps)) {}

  GeneratorStep next(std::int64_t) override {
    GeneratorStep s = steps_[position_](have_last_ ? &last_ : nullptr, rng_);
    position_ = (position_ + 1) % steps_.size();
    return s;
  }
  void update(const Op& c) override {
    last_ = c;
    have_last_ = true;
  }
  void process_replaced() override {
    position_ = 0;
    have_last_ = false;
  }

 private:
  Random rng_;
  std::vector<CycleStep> steps_;
  std::size_t position_ = 0;
  Op last_;
  bool have_last_ = false;
};

}  // namespace redproof::gen
