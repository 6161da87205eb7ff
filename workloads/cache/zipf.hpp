// A Zipf distribution over item ranks 0..n-1 (rank 0 the hottest), P(k) ∝ 1/(k+1)^s: what a
// cache sees in production, a few hot items and a long tail. The cumulative table is built
// once and shared; drawing is a binary search.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/random.hpp"

namespace redproof::cache {

class Zipf {
 public:
  Zipf(std::int64_t n, double s) : cdf_(static_cast<std::size_t>(std::max<std::int64_t>(n, 1))) {
    double total = 0;
    for (std::size_t k = 0; k < cdf_.size(); ++k) {
      total += 1.0 / std::pow(static_cast<double>(k + 1), s);
      cdf_[k] = total;
    }
    for (double& c : cdf_) c /= total;
  }

  std::int64_t draw(Random& rng) const {
    const double u = rng.uniform01();
    auto it = std::lower_bound(cdf_.begin(), cdf_.end(), u);
    if (it == cdf_.end()) --it;
    return it - cdf_.begin();
  }

 private:
  std::vector<double> cdf_;
};

}  // namespace redproof::cache
