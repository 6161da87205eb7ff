// Performance baselines: a run's latency percentiles and throughput, stored once and compared
// with later runs. A figure worse than the baseline by more than the tolerance is a regression
// (`suite --baseline DIR`, `run --baseline RESULTS_DIR`).
#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace redproof::suite {

struct Figures {
  double p50_ns = 0;
  double p99_ns = 0;
  double p999_ns = 0;
  double ops_per_s = 0;
};

// stats.latency.{p50,p99,p999}_ns and stats.ops_per_s of a results.json; nullopt without them.
std::optional<Figures> figures_from_results(const nlohmann::json& results);

// Each figure's median over several seeds: one slow seed on a shared machine is not a trend.
Figures median_figures(const std::vector<Figures>& seeds);

struct Regression {
  std::string figure;  // "p50", "p99", "p99.9", "ops/s"
  double baseline = 0;
  double current = 0;
  double change_pct = 0;  // how much worse, in percent (always positive)
  std::string text;       // "p99 12.3ms vs 8.10ms in the baseline (+52%, tolerance 20%)"
};

// Latencies regress when higher, throughput when lower, by more than `tolerance_pct` percent of
// the baseline. A figure the baseline lacks (zero) is not compared.
std::vector<Regression> compare_figures(const Figures& baseline, const Figures& current,
                                        double tolerance_pct);

// One line per regression, "; "-separated.
std::string describe_regressions(const std::vector<Regression>& regressions);

// DIR/baseline.json: {"format": "redproof-baseline/1", "runs": {NAME: FIGURES + "seeds"}}.
using BaselineRuns = std::map<std::string, Figures>;
void save_baseline(const std::string& dir, const BaselineRuns& runs);
// Throws std::runtime_error with a one-line message naming the file.
BaselineRuns load_baseline(const std::string& dir);

// The results.json of a results directory given as a run's directory or as a results root
// (whose `latest` is then used). Throws std::runtime_error naming what is missing.
nlohmann::json read_results_json(const std::string& dir);

// Why `dir` cannot serve as a run's baseline (no results.json, no figures); nullopt when it can.
std::optional<std::string> baseline_problem(const std::string& dir);

// Where <root>/latest points now ("" when nowhere): taken before a run, so that a run that
// failed before writing its directory is not compared through an older run's `latest`.
std::string latest_target(const std::string& results_root);

// `run --baseline RESULTS_DIR`: compares the run just written under `results_root` (its
// `latest`) with the stored run, prints the outcome, and returns the exit code to use: 1 when a
// valid run regressed, `exit_code` otherwise (2 if the baseline cannot be read).
// Its lines go to `out` (stderr when stdout carries --json).
int compare_run_with_baseline(const std::string& baseline_dir, const std::string& results_root,
                              double tolerance_pct, int exit_code, const std::string& latest_before,
                              std::FILE* out = stdout);

}  // namespace redproof::suite
