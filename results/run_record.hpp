// Everything the Reporter needs about one finished run: its configuration (run.json), the
// history as read back from disk, each checker's result, the merged verdict and run statistics.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/checker.hpp"
#include "core/op.hpp"

namespace redproof {

struct RunRecord {
  std::string directory;                             // the run's results directory
  nlohmann::json config = nlohmann::json::object();  // run.json's content
  std::vector<Op> history;                           // history.jsonl, as read back
  std::size_t history_torn_lines = 0;  // 0, or 1: a killed run's torn last line, ignored
  std::size_t history_torn_bytes = 0;  // that line's length
  std::vector<std::pair<std::string, CheckResult>> checks;  // by checker name, in run order
  Validity valid = Validity::kUnknown;                      // merged over checks
  std::string reason;  // why a run that did not finish normally is unknown ("interrupted")
  nlohmann::json stats = nlohmann::json::object();  // duration_s, interrupted, ...
};

}  // namespace redproof
