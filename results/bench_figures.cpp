#include "results/bench_figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace redproof {

const std::vector<BenchFigure>& bench_figures() {
  static const std::vector<BenchFigure> figures{
      {"ops/s", "throughput_ops", true, true, 0}, {"p50", "p50_ns", false, true, 0.5},
      {"p90", "p90_ns", false, true, 0.1},        {"p99", "p99_ns", false, true, 0.01},
      {"p99.9", "p999_ns", false, true, 0.001},   {"p99.99", "p9999_ns", false, false, 0.0001},
      {"max", "max_ns", false, false, 0}};
  return figures;
}

std::optional<double> run_figure(const nlohmann::json& bench, const BenchFigure& figure) {
  const nlohmann::json* where = &bench;
  if (!figure.higher_is_better) {
    const auto latency = bench.find("latency");
    if (latency == bench.end() || !latency->contains("corrected")) return std::nullopt;
    where = &(*latency)["corrected"];
  }
  const auto it = where->find(figure.json_key);
  if (it == where->end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<double> headline_figure(const nlohmann::json& bench, const BenchFigure& figure) {
  const auto repeat = bench.find("repeat");
  if (repeat != bench.end() && repeat->is_object()) {
    const nlohmann::json& figures = (*repeat)["figures"];
    if (figures.contains(figure.name) && figures[figure.name].contains("median")) {
      return figures[figure.name]["median"].get<double>();
    }
  }
  return run_figure(bench, figure);
}

namespace {

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

nlohmann::json repeat_summary(const std::vector<nlohmann::json>& runs) {
  nlohmann::json figures = nlohmann::json::object();
  for (const BenchFigure& f : bench_figures()) {
    std::vector<double> values;
    for (const auto& run : runs) {
      if (const auto v = run_figure(run, f)) values.push_back(*v);
    }
    if (values.empty()) continue;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    figures[f.name] = {{"median", median_of(values)}, {"min", *lo}, {"max", *hi}};
  }
  return {{"runs", runs.size()}, {"figures", figures}};
}

std::size_t median_run(const std::vector<nlohmann::json>& runs) {
  std::vector<std::size_t> order(runs.size());
  std::iota(order.begin(), order.end(), 0);
  const BenchFigure& throughput = bench_figures().front();
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return run_figure(runs[a], throughput).value_or(0) <
           run_figure(runs[b], throughput).value_or(0);
  });
  return order.empty() ? 0 : order[(order.size() - 1) / 2];
}

namespace {

// Replies a run's percentiles rest on (the shown run's, with --repeat); nullopt when bench.json
// does not say.
std::optional<double> replies_of(const nlohmann::json& bench) {
  const auto counts = bench.find("counts");
  if (counts == bench.end() || !counts->contains("completed")) return std::nullopt;
  return (*counts)["completed"].get<double>();
}

bool enough_beyond(const BenchFigure& f, const nlohmann::json& a, const nlohmann::json& b) {
  if (f.beyond <= 0) return true;
  const auto ra = replies_of(a), rb = replies_of(b);
  if (!ra || !rb) return true;
  return std::min(*ra, *rb) * f.beyond >= kMinRepliesBeyond;
}

}  // namespace

std::vector<FigureChange> compare_bench(const nlohmann::json& baseline,
                                        const nlohmann::json& current, double tolerance_pct) {
  std::vector<FigureChange> out;
  for (const BenchFigure& f : bench_figures()) {
    const auto b = headline_figure(baseline, f);
    const auto c = headline_figure(current, f);
    if (!b || !c) continue;
    FigureChange change;
    change.figure = f.name;
    change.baseline = *b;
    change.current = *c;
    change.latency = !f.higher_is_better;
    change.judged = f.judged && *b > 0 && enough_beyond(f, baseline, current);
    if (*b > 0) change.change_pct = (*c - *b) / *b * 100;
    // Worse by more than the tolerance: throughput down, latency up.
    const double worse = f.higher_is_better ? -change.change_pct : change.change_pct;
    change.regression = change.judged && worse > tolerance_pct;
    out.push_back(change);
  }
  return out;
}

bool any_regression(const std::vector<FigureChange>& changes) {
  return std::any_of(changes.begin(), changes.end(),
                     [](const FigureChange& c) { return c.regression; });
}

std::string figure_text(double value, bool latency) {
  return latency ? fmt::format("{:.3f} ms", value / 1e6) : fmt::format("{:.0f} ops/s", value);
}

std::string comparison_text(const std::vector<FigureChange>& changes, double tolerance_pct) {
  std::string out = fmt::format("  {:<8} {:>16} {:>16} {:>9}  (tolerance {:g}%)\n", "figure",
                                "baseline", "this run", "change", tolerance_pct);
  for (const FigureChange& c : changes) {
    out +=
        fmt::format("  {:<8} {:>16} {:>16} {:>+8.1f}%  {}\n", c.figure,
                    figure_text(c.baseline, c.latency), figure_text(c.current, c.latency),
                    c.change_pct, c.regression ? "REGRESSION" : (c.judged ? "" : "(not judged)"));
  }
  return out;
}

}  // namespace redproof
