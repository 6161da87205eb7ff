// A suite plan (../shared/spec/cli.md, "Suite plans"): a list of runs, each with its seeds and the
// verdict it is expected to reach. The whole plan is checked before anything starts, so a typo in
// the last run of a nightly plan costs nothing but an error line naming the JSON path.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/duration.hpp"

namespace redproof::suite {

// What a run is expected to show. `valid` is "true", "false" or "unknown" (as results.json
// spells its verdict); every name in `anomalies` must appear in results.json.
struct Expectation {
  std::string valid;
  std::vector<std::string> anomalies;
  int min_seeds = 0;  // how many seeds must meet it; 0 in a plan means all of them
};

struct PlannedRun {
  std::string name;  // unique within the plan; defaults to "workload variant fault+fault"
  std::string workload;
  std::string variant;              // empty: the workload's default
  std::vector<std::string> faults;  // never empty: {"none"} by default
  std::string time = "10s";         // as written, passed on to `redproof run --time`
  std::vector<std::uint64_t> seeds = {1};
  std::string topology;  // empty: what the faults need
  int clients = 5;
  std::map<std::string, std::string> params;
  std::vector<std::string> slos;
  std::string fault_interval;  // empty: run's default
  std::string rate;            // empty: run's default (closed loop)
  std::string persistence;     // empty: run's default
  std::string fault_at;        // empty: faults on the clock; else a hook (run --fault-at)
  std::string note;            // free text: why this cell is here and sized so
  Expectation expect;
  int min_seeds() const {
    return expect.min_seeds > 0 ? expect.min_seeds : static_cast<int>(seeds.size());
  }
};

struct SuitePlan {
  std::string description;
  std::vector<PlannedRun> runs;
};

// A plan that cannot run. what() is one line: "<path>: <what is wrong>", the path in JSON
// notation (`runs[3].expect.valid`).
class PlanError : public std::runtime_error {
 public:
  PlanError(std::string path, std::string detail, std::string file = "")
      : std::runtime_error(compose(file, path, detail)),
        path_(std::move(path)),
        detail_(std::move(detail)) {}
  const std::string& path() const { return path_; }
  const std::string& detail() const { return detail_; }

 private:
  static std::string compose(const std::string& file, const std::string& path,
                             const std::string& detail) {
    std::string out = file.empty() ? "" : file + ": ";
    if (!path.empty()) out += path + ": ";
    return out + detail;
  }
  std::string path_;
  std::string detail_;
};

// Parses and validates a plan's text: unknown fields anywhere, unknown workloads, variants,
// faults, knobs and topologies, bad knob values, durations, SLOs and types. Throws PlanError.
SuitePlan parse_suite_plan(std::string_view text);

// Reads and parses a plan file; errors are prefixed with the file's name
// ("gate.json: runs[3].expect.valid: ...").
SuitePlan read_suite_plan(const std::string& path);

// Applies the command line's overrides: --only REGEX (runs whose name matches are kept),
// --seeds N (seeds 1..N; min_seeds clamped to N), --time D. Throws PlanError for a bad regex
// or a --only that keeps nothing.
struct PlanOverrides {
  std::string only;
  int seeds = 0;
  std::string time;
};
void apply_overrides(SuitePlan& plan, const PlanOverrides& overrides);

// A name as one path component: lower case, runs of other characters as one '-'.
std::string run_slug(std::string_view name);

}  // namespace redproof::suite
