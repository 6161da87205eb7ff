// The Checker seam: a pure function of a finished history. Checkers compose by name; the run's
// verdict merges theirs with false > unknown > true.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/anomaly.hpp"
#include "core/op.hpp"

namespace redproof {

enum class Validity { kValid, kInvalid, kUnknown };

// results.json spells validity true / false / "unknown".
nlohmann::json validity_json(Validity v);
std::string_view validity_name(Validity v);  // "valid", "invalid", "unknown"
// Ranks invalid > unknown > valid.
Validity merge_validity(Validity a, Validity b);
// Exit codes of ../shared/spec/cli.md: 0 valid, 1 invalid, 3 unknown.
int exit_code_for(Validity v);

struct CheckResult {
  Validity valid = Validity::kUnknown;
  // What it found, in the shared vocabulary (every reporter renders these).
  std::vector<Anomaly> anomalies;
  // Figures (counts, ratios) and, when the checker could not decide, "error" or "reason";
  // results.json stores them beside "valid" under the checker's name.
  nlohmann::json details = nlohmann::json::object();
  // An HTML fragment explaining the finding (a counterexample drawn as lanes), which the report
  // embeds; kept beside results.json as <checker>.html, not inside it.
  std::string html;
};

class Checker {
 public:
  virtual ~Checker() = default;
  virtual std::string name() const = 0;
  // May throw; run_checker turns that into kUnknown.
  virtual CheckResult check(const std::vector<Op>& history) = 0;
};

// Runs `checker`, turning an exception into an unknown result that says why.
CheckResult run_checker(Checker& checker, const std::vector<Op>& history);

}  // namespace redproof
