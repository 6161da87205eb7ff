// What one seed of a run showed (read from its results.json) and whether that meets the run's
// expectation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "driver/suite/suite_plan.hpp"

namespace redproof::suite {

struct Observed {
  std::string valid;                   // "true", "false", "unknown"
  std::vector<std::string> anomalies;  // names, each once, in order of first appearance
};

// Reads the verdict and the anomaly names of a results.json. Names come from the top-level
// "anomalies" array (objects with a "name"), else from each checker's "anomalies"; a results.json
// written before checkers named their anomalies contributes, for each invalid checker, the
// checker's own name ("double-holder").
Observed observe_results(const nlohmann::json& results);

// Empty when `observed` meets `expect`; otherwise one phrase saying what differed
// ("expected valid=false, got true", "anomaly \"double-holder\" not found (found: latency)").
std::optional<std::string> mismatch(const Expectation& expect, const Observed& observed);

// "invalid", "valid", "unknown" for a results.json verdict; "invalid + double-holder" with names.
std::string describe_verdict(const std::string& valid, const std::vector<std::string>& anomalies);

}  // namespace redproof::suite
