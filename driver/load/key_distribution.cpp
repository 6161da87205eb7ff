#include "driver/load/key_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace redproof::load {

namespace {

double parse_parameter(std::string_view text, std::string_view what) {
  std::string s(text);
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || !(v > 0)) {
    throw std::invalid_argument("--key-pattern: " + std::string(what) +
                                " needs a positive number, not \"" + s + "\"");
  }
  return v;
}

}  // namespace

KeyDistributionSpec parse_key_distribution(std::string_view text) {
  KeyDistributionSpec spec;
  auto colon = text.find(':');
  std::string_view name = text.substr(0, colon);
  std::string_view param = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (name == "uniform") {
    spec.kind = KeyDistributionSpec::Kind::kUniform;
  } else if (name == "sequential") {
    spec.kind = KeyDistributionSpec::Kind::kSequential;
  } else if (name == "zipf") {
    spec.kind = KeyDistributionSpec::Kind::kZipf;
    if (!param.empty()) spec.zipf_exponent = parse_parameter(param, "zipf's exponent");
    return spec;
  } else if (name == "gaussian") {
    spec.kind = KeyDistributionSpec::Kind::kGaussian;
    if (!param.empty()) {
      spec.gaussian_stddev_fraction = parse_parameter(param, "gaussian's deviation");
    }
    return spec;
  } else {
    throw std::invalid_argument("--key-pattern: unknown distribution \"" + std::string(text) +
                                "\" (uniform, zipf[:EXP], sequential, gaussian[:STDDEV])");
  }
  if (!param.empty()) {
    throw std::invalid_argument("--key-pattern: " + std::string(name) + " takes no parameter");
  }
  return spec;
}

KeyDistribution::KeyDistribution(KeyDistributionSpec spec, std::uint64_t key_count,
                                 std::uint64_t first)
    : spec_(spec), count_(std::max<std::uint64_t>(key_count, 1)), sequence_(first % count_) {
  if (spec_.kind == KeyDistributionSpec::Kind::kZipf) {
    // An exact inverse-CDF table: 8 bytes per key, fine for the key ranges a benchmark uses
    // (a million keys = 8 MB), and one binary search per draw.
    zipf_cdf_.resize(count_);
    double sum = 0;
    for (std::uint64_t i = 0; i < count_; ++i) {
      sum += 1.0 / std::pow(static_cast<double>(i + 1), spec_.zipf_exponent);
      zipf_cdf_[i] = sum;
    }
    for (auto& c : zipf_cdf_) c /= sum;
  }
}

std::uint64_t KeyDistribution::next(Random& rng) {
  switch (spec_.kind) {
    case KeyDistributionSpec::Kind::kUniform:
      return rng.next() % count_;
    case KeyDistributionSpec::Kind::kSequential: {
      std::uint64_t k = sequence_;
      sequence_ = (sequence_ + 1) % count_;
      return k;
    }
    case KeyDistributionSpec::Kind::kZipf: {
      double u = rng.uniform01();
      auto it = std::lower_bound(zipf_cdf_.begin(), zipf_cdf_.end(), u);
      return std::min<std::uint64_t>(it - zipf_cdf_.begin(), count_ - 1);
    }
    case KeyDistributionSpec::Kind::kGaussian: {
      std::normal_distribution<double> d(count_ / 2.0, spec_.gaussian_stddev_fraction * count_);
      for (;;) {
        double v = std::round(d(rng.engine()));
        if (v >= 0 && v < static_cast<double>(count_)) return static_cast<std::uint64_t>(v);
      }
    }
  }
  return 0;
}

}  // namespace redproof::load
