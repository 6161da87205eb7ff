#include "driver/load/bench_runs.hpp"

#include <fmt/format.h>

#include "driver/load/server_info.hpp"
#include "results/bench_figures.hpp"

namespace redproof::load {

namespace {

// The engine hands over the second in which the load ended even when nothing happened in it
// after the end: an empty point that would read as a stall.
std::vector<SecondFigures> without_empty_tail(std::vector<SecondFigures> series,
                                              std::chrono::nanoseconds duration) {
  while (!series.empty()) {
    const SecondFigures& s = series.back();
    const bool after_end = std::chrono::seconds(s.second) >= duration;
    if (!after_end || s.completed || s.errors || s.timeouts || s.connection_errors) break;
    series.pop_back();
  }
  return series;
}

}  // namespace

BenchSummary summarize_runs(const LoadOptions& options, std::vector<BenchRun> runs) {
  std::vector<nlohmann::json> each;
  nlohmann::json server_runs = nlohmann::json::array();
  for (BenchRun& r : runs) {
    r.result.series = without_empty_tail(std::move(r.result.series), options.duration);
    each.push_back(bench_json(options, r.result, r.slos));
    if (r.faulted) {
      each.back()["fault_windows"] = fault_windows_json(r.fault_windows);
      each.back()["latency_by_window"] =
          latency_by_window_json(r.fault_windows, r.result.by_window, r.result.corrected);
    }
    server_runs.push_back({{"before", r.server_before},
                           {"after", r.server_after},
                           {"usage", server_usage(r.server_before, r.server_after)}});
    if (r.servers_before.is_array()) {
      server_runs.back()["servers"] = servers_usage(r.servers_before, r.servers_after);
    }
  }
  BenchSummary s;
  s.shown = median_run(each);
  s.bench = each[s.shown];
  if (runs.size() > 1) {
    s.bench["repeat"] = repeat_summary(each);
    s.bench["repeat"]["shown_run"] = s.shown + 1;
  }
  const nlohmann::json& first = runs.front().server_before;
  s.server = {{"version", first.value("redis_version", std::string("unknown"))},
              {"runs", server_runs}};
  return s;
}

std::string repeat_text(const nlohmann::json& repeat) {
  std::string out = fmt::format("  over {} runs (median, min–max; figures above: run {}):\n",
                                repeat.value("runs", 0), repeat.value("shown_run", 0));
  for (const BenchFigure& f : bench_figures()) {
    if (!repeat["figures"].contains(f.name)) continue;
    const nlohmann::json& v = repeat["figures"][f.name];
    const bool latency = !f.higher_is_better;
    out += fmt::format(
        "    {:<7} {} ({} – {})\n", f.name, figure_text(v["median"].get<double>(), latency),
        figure_text(v["min"].get<double>(), latency), figure_text(v["max"].get<double>(), latency));
  }
  return out;
}

}  // namespace redproof::load
