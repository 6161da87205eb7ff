// Which key a benchmark request touches: uniform, zipf (a few hot keys, as caches see), sequential
// or gaussian around the middle of the range. Pure and seeded; no allocation per draw.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.hpp"

namespace redproof::load {

struct KeyDistributionSpec {
  enum class Kind { kUniform, kZipf, kSequential, kGaussian };
  Kind kind = Kind::kUniform;
  double zipf_exponent = 0.99;
  double gaussian_stddev_fraction = 0.1;  // of the key range
};

// "uniform", "zipf", "zipf:1.2", "sequential", "gaussian", "gaussian:0.05". Throws
// std::invalid_argument with a one-line message.
KeyDistributionSpec parse_key_distribution(std::string_view text);

class KeyDistribution {
 public:
  KeyDistribution(KeyDistributionSpec spec, std::uint64_t key_count, std::uint64_t first = 0);
  // A key index in [0, key_count).
  std::uint64_t next(Random& rng);

 private:
  KeyDistributionSpec spec_;
  std::uint64_t count_;
  std::uint64_t sequence_;
  std::vector<double> zipf_cdf_;  // cumulative, for key ranks; built once
};

}  // namespace redproof::load
