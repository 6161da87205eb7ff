// Generator combinator: for ever, an operation drawn from weighted makers (reads 0.8, writes 0.2),
// with the worker's seeded Random. Wrap it in TimeLimit to end it.
#pragma once

#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/random.hpp"
#include "workloads/generator.hpp"

namespace redproof::gen {

// Makes one operation; may draw from the generator's Random.
using OpMaker = std::function<GeneratorStep(Random& rng)>;

struct Weighted {
  double weight = 1;
  OpMaker make;
};

class Mix : public Generator {
 public:
  Mix(Random rng, std::vector<Weighted> choices) : rng_(rng), choices_(std::move(choices)) {
    for (const auto& c : choices_) total_ += c.weight;
    if (choices_.empty() || !(total_ > 0)) throw std::invalid_argument("Mix: no weight");
  }

  GeneratorStep next(std::int64_t) override {
    double x = rng_.uniform01() * total_;
    for (auto& c : choices_) {
      if (x < c.weight) return c.make(rng_);
      x -= c.weight;
    }
    return choices_.back().make(rng_);
  }
  void update(const Op&) override {}

 private:
  Random rng_;
  std::vector<Weighted> choices_;
  double total_ = 0;
};

}  // namespace redproof::gen
