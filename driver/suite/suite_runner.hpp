// Runs a validated plan: each run's seeds one after another, each seed as a child process of the
// same binary (`redproof run ...`), so that every run has its own servers, heals itself and can
// crash without taking the suite with it. Ctrl-C/SIGTERM is forwarded to the running child,
// which heals and exits; the remaining seeds are skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver/suite/baseline.hpp"
#include "driver/suite/suite_plan.hpp"
#include "results/suite_report.hpp"

namespace redproof::suite {

struct RunnerOptions {
  std::string binary;         // the redproof executable the children run
  std::string replay_binary;  // how a user should call it in replay commands ("./build/redproof")
  std::string results_root;   // seeds go to <root>/<run slug>/seed-<N>
  std::optional<BaselineRuns> baseline;
  double tolerance_pct = 20;
  bool quiet = false;  // no live lines (tests)
};

// `redproof run` arguments for one seed of a run (without the binary and --results-dir).
std::vector<std::string> run_arguments(const PlannedRun& run, std::uint64_t seed);

// A command line a POSIX shell reads back as `args` (single quotes where needed).
std::string shell_command(const std::vector<std::string>& args);

// Runs every seed of every run; `figures` (when given) receives each run's median figures.
SuiteResult run_suite(const SuitePlan& plan, const RunnerOptions& options,
                      BaselineRuns* figures = nullptr);

}  // namespace redproof::suite

namespace redproof::suite {

// The table printed at the end: run, expected, got, seeds met, time, results directory; then one
// line per run that missed or regressed, with the commands that replay its failing seeds.
std::string suite_table(const SuiteResult& suite);

}  // namespace redproof::suite
