// CLI11 validator for --rate (operations per second, 0 = closed loop), shared by run and bench:
// CLI11's NonNegativeNumber names its range with a 300-digit upper bound.
#pragma once

#include <CLI/CLI.hpp>

#include <cmath>
#include <string>

namespace redproof {

struct RateValidator : public CLI::Validator {
  RateValidator() {
    name_ = "RATE";
    func_ = [](const std::string& s) -> std::string {
      double v = 0;
      if (!CLI::detail::lexical_cast(s, v) || !std::isfinite(v) || v < 0) {
        return "expected operations per second, 0 or more (0 = closed loop), not " + s;
      }
      return {};
    };
  }
};

}  // namespace redproof
