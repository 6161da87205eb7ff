// Generator combinator: a fixed list of operations, issued one after another (each once the
// previous one completed), then done. Final reads are the usual use.
#pragma once

#include <utility>
#include <vector>

#include "workloads/generator.hpp"

namespace redproof::gen {

class Sequence : public Generator {
 public:
  explicit Sequence(std::vector<GeneratorStep> steps) : steps_(std::move(steps)) {}

  GeneratorStep next(std::int64_t) override {
    if (next_ >= steps_.size()) return GeneratorStep::done();
    return steps_[next_++];
  }
  void update(const Op&) override {}

 private:
  std::vector<GeneratorStep> steps_;
  std::size_t next_ = 0;
};

}  // namespace redproof::gen
