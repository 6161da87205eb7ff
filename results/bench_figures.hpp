// The headline figures of a benchmark (bench.json): throughput and corrected latency
// percentiles; their median and spread over `--repeat` runs; and their comparison with a
// baseline's, where throughput down or a latency percentile up by more than the tolerance is a
// regression.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace redproof {

struct BenchFigure {
  const char* name;       // "ops/s", "p50", ...
  const char* json_key;   // in bench.json: "throughput_ops" or latency.corrected's "p50_ns"
  bool higher_is_better;  // throughput
  bool judged;            // a regression counts (max and p99.99 are shown, not judged: noise)
  // The share of replies beyond this percentile (0.01 for p99; 0 for throughput). A percentile
  // is judged only when both runs have at least kMinRepliesBeyond replies beyond it: p99.9 of
  // 1,000 replies is the slowest one or two, one scheduling hiccup, not a regression.
  double beyond = 0;
};

inline constexpr double kMinRepliesBeyond = 10;

// In the order they are printed.
const std::vector<BenchFigure>& bench_figures();

// A figure of one run's bench.json: ops/s, or a latency in ns; nullopt when absent.
std::optional<double> run_figure(const nlohmann::json& bench, const BenchFigure& figure);

// A figure as compared: the median over --repeat runs when bench.json has them, else the run's.
std::optional<double> headline_figure(const nlohmann::json& bench, const BenchFigure& figure);

// {"runs": N, "figures": {NAME: {"median", "min", "max"}}} over the runs' bench.json.
nlohmann::json repeat_summary(const std::vector<nlohmann::json>& runs);

// The index of the run whose throughput is the median (the run the directory's files show).
std::size_t median_run(const std::vector<nlohmann::json>& runs);

struct FigureChange {
  std::string figure;
  double baseline = 0, current = 0;
  double change_pct = 0;  // (current - baseline) / baseline, in percent
  bool judged = false;
  bool regression = false;
  bool latency = true;  // in ns; otherwise ops/s
};

// Each figure both have, in bench_figures() order. Judged: a regression counts when the figure
// is one that is judged, and, for a percentile, both runs had enough replies beyond it.
std::vector<FigureChange> compare_bench(const nlohmann::json& baseline,
                                        const nlohmann::json& current, double tolerance_pct);

bool any_regression(const std::vector<FigureChange>& changes);

// "  p99        1.234 ms    1.456 ms   +18.0%  REGRESSION" lines, with a heading.
std::string comparison_text(const std::vector<FigureChange>& changes, double tolerance_pct);

// A figure as text: "1.234 ms" or "98,120 ops/s".
std::string figure_text(double value, bool latency);

}  // namespace redproof
