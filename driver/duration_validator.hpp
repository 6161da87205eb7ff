// CLI11 validator for durations ("10s", "250ms"), shared by the subcommands that take them.
#pragma once

#include <CLI/CLI.hpp>

#include "core/duration.hpp"

namespace redproof {

struct DurationValidator : public CLI::Validator {
  DurationValidator() {
    name_ = "DURATION";
    func_ = [](const std::string& s) -> std::string {
      auto d = parse_duration(s);
      if (!d || d->count() <= 0) return "expected a duration such as 10s, 2m or 250ms";
      return {};
    };
  }
};

}  // namespace redproof
