#include "results/bench_report.hpp"

#include <fmt/format.h>

#include "core/text_format.hpp"
#include "results/bench_fault_periods.hpp"
#include "results/bench_figures.hpp"
#include "results/bench_percentile_plot.hpp"
#include "results/report_html.hpp"

namespace redproof {

namespace {

using nlohmann::json;

std::string esc(std::string_view s) {
  return html_escape(s);
}

std::uint64_t count(const json& j, const char* key) {
  return j.is_object() ? j.value(key, std::uint64_t{0}) : 0;
}

std::string latency_text(const json& latency, const char* key) {
  return figure_text(latency.is_object() ? latency.value(key, 0.0) : 0.0, true);
}

// The topology the harness started and the faults injected (run.json), when it says.
void render_servers_and_faults(std::string& out, const json& config) {
  const json topology = config.value("topology", json::object());
  const json faults = config.value("faults", json::array());
  if (!topology.is_object() || !topology.contains("kind")) return;
  std::vector<std::string> names;
  for (const auto& f : faults) names.push_back(plain(f));
  out += fmt::format("<p>Topology {} · faults: {}</p>\n", esc(plain(topology["kind"])),
                     esc(names.empty() ? std::string("none") : join(names, ", ")));
}

// The title and the figures a reader wants first.
void render_header(std::string& out, const BenchRecord& r) {
  const json& b = r.bench;
  const std::string label = r.run.value("label", std::string("bench"));
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += fmt::format("<title>redproof bench: {}</title>\n<style>", esc(label));
  out += report_style();
  out += "</style></head><body>\n";
  out += fmt::format("<h1>redproof bench: {}</h1>\n", esc(label));
  const json& c = b.value("config", json::object());
  const json& counts = b.value("counts", json::object());
  const json latency =
      b.contains("latency") ? b["latency"].value("corrected", json::object()) : json::object();
  out +=
      fmt::format("<p class=\"verdict\">{:.0f} ops/s · p50 {} · p99 {} · p99.9 {} · max {}</p>\n",
                  b.value("throughput_ops", 0.0), latency_text(latency, "p50_ns"),
                  latency_text(latency, "p99_ns"), latency_text(latency, "p999_ns"),
                  latency_text(latency, "max_ns"));
  out += fmt::format(
      "<p>Started {} · {:.1f} s against {} · {} connections, pipeline {}, {} · {} replies · "
      "<span class=\"{}\">{} error replies, {} timed out, {} connection errors, {} reconnects"
      "</span></p>\n",
      esc(plain(r.run.value("started", json("?")))), b.value("wall_s", 0.0),
      esc(plain(c.value("target", json("?")))), plain(c.value("connections", json(0))),
      plain(c.value("pipeline", json(1))),
      c.value("rate", 0.0) > 0 ? fmt::format("open loop at {:.0f} req/s", c.value("rate", 0.0))
                               : std::string("closed loop"),
      count(counts, "completed"),
      count(counts, "error_replies") + count(counts, "timeouts") +
                  count(counts, "connection_errors") >
              0
          ? "bad"
          : "dim",
      count(counts, "error_replies"), count(counts, "timeouts"), count(counts, "connection_errors"),
      count(counts, "reconnects"));
  render_servers_and_faults(out, r.run.value("config", json::object()));
  if (c.value("rate", 0.0) > 0) {
    out +=
        "<p class=\"dim\">Open loop: latency is measured from each request's intended start "
        "(coordinated omission corrected); latency-uncorrected.hgrm has it from the actual "
        "send.</p>\n";
  }
}

void render_repeat(std::string& out, const json& repeat) {
  if (!repeat.is_object()) return;
  out += fmt::format(
      "<h2>Over {} runs</h2>\n<p class=\"dim\">Each run with its own server start where the "
      "harness starts one; the charts below show the run with the median throughput.</p>\n"
      "<table class=\"grid\"><tr><th>figure</th><th>median</th><th>min</th><th>max</th>"
      "<th>spread</th></tr>\n",
      repeat.value("runs", 0));
  for (const BenchFigure& f : bench_figures()) {
    if (!repeat["figures"].contains(f.name)) continue;
    const json& v = repeat["figures"][f.name];
    const bool latency = !f.higher_is_better;
    const double median = v["median"].get<double>();
    const double spread =
        median > 0 ? (v["max"].get<double>() - v["min"].get<double>()) / median * 100 : 0;
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}%</td></tr>\n",
                       f.name, figure_text(median, latency),
                       figure_text(v["min"].get<double>(), latency),
                       figure_text(v["max"].get<double>(), latency), spread);
  }
  out += "</table>\n";
}

void render_comparison(std::string& out, const BenchRecord& r, const BenchBaseline& base) {
  const auto changes = compare_bench(base.record.bench, r.bench, base.tolerance_pct);
  const bool regressed = any_regression(changes);
  out += "<h2>Against the baseline</h2>\n";
  out += fmt::format("<p class=\"verdict {}\">{}</p>\n", regressed ? "bad" : "",
                     regressed ? "Regression: a figure is worse than the baseline's by more "
                                 "than the tolerance."
                               : "No regression beyond the tolerance.");
  out += fmt::format(
      "<p class=\"dim\">Baseline: {} · tolerance {:g}% (throughput down or latency up)</p>\n",
      esc(base.record.directory), base.tolerance_pct);
  out +=
      "<table class=\"grid\"><tr><th>figure</th><th>baseline</th><th>this run</th>"
      "<th>change</th><th></th></tr>\n";
  for (const FigureChange& c : changes) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:+.1f}%</td><td class=\"{}\">{}</td></tr>\n",
        esc(c.figure), figure_text(c.baseline, c.latency), figure_text(c.current, c.latency),
        c.change_pct, c.regression ? "bad" : "dim",
        c.regression ? "regression" : (c.judged ? "" : "not judged"));
  }
  out += "</table>\n";
}

// Seconds with error replies, time-outs or connection errors, merged into shaded periods.
std::vector<ChartBand> error_bands(const json& series) {
  std::vector<ChartBand> bands;
  for (const auto& s : series) {
    const std::uint64_t errors = count(s, "errors"), timeouts = count(s, "timeouts"),
                        dropped = count(s, "connection_errors");
    if (errors + timeouts + dropped == 0) continue;
    const double at = s.value("second", 0.0);
    std::string label =
        fmt::format("{} errors, {} timeouts, {} connection errors", errors, timeouts, dropped);
    if (!bands.empty() && bands.back().to_s == at) {
      bands.back().to_s = at + 1;
      bands.back().label = "errors and connection errors";
    } else {
      bands.push_back({at, at + 1, label});
    }
  }
  return bands;
}

void render_over_time(std::string& out, const json& bench) {
  const json series = bench.value("series", json::array());
  ChartSeries p50{"p50", "#1565c0", {}}, p90{"p90", "#00838f", {}}, p99{"p99", "#6a1b9a", {}},
      p999{"p99.9", "#ad1457", {}}, max{"max", "#c62828", {}};
  ChartSeries done{"replies", "#2e7d32", {}}, failed{"errors", "#c62828", {}};
  for (const auto& s : series) {
    const double x = s.value("second", 0.0) + 0.5;
    p50.points.emplace_back(x, s.value("p50_ns", 0.0) / 1e6);
    p90.points.emplace_back(x, s.value("p90_ns", 0.0) / 1e6);
    p99.points.emplace_back(x, s.value("p99_ns", 0.0) / 1e6);
    p999.points.emplace_back(x, s.value("p999_ns", 0.0) / 1e6);
    max.points.emplace_back(x, s.value("max_ns", 0.0) / 1e6);
    done.points.emplace_back(x, s.value("completed", 0.0));
    failed.points.emplace_back(x, static_cast<double>(count(s, "errors") + count(s, "timeouts") +
                                                      count(s, "connection_errors")));
  }
  // Under --fault the periods each fault was in effect are shaded (the errors they cause show
  // on the throughput chart's error line); otherwise the seconds with errors are.
  const auto fault_bands = fault_window_bands(bench);
  const bool faulted = bench.contains("fault_windows");
  const auto bands = faulted ? fault_bands : error_bands(series);
  double x_max = std::max(1.0, static_cast<double>(series.size()));
  for (const auto& b : fault_bands) x_max = std::max(x_max, b.to_s);
  out += "<h2>Over time</h2>\n";
  if (faulted) {
    out += fault_bands.empty()
               ? "<p class=\"dim\">No fault window opened during the load.</p>\n"
               : "<p>Shaded: the periods each fault was in effect (from its start action to "
                 "the end of its stop).</p>\n";
  } else {
    out += bands.empty() ? "<p class=\"dim\">No error, time-out or connection error.</p>\n"
                         : "<p>Shaded: seconds with error replies, time-outs or connection "
                           "errors (a dropped connection is reconnected).</p>\n";
  }
  out += svg_chart("Latency per second (ms, log scale; corrected)", "ms",
                   {p50, p90, p99, p999, max}, bands, x_max, true);
  out += svg_chart("Throughput per second", "ops/s", {done, failed}, bands, x_max, false);
}

void render_distribution(std::string& out, const BenchRecord& r, const BenchBaseline* base) {
  std::vector<Distribution> lines{{"this run", "#1565c0", parse_hgrm(r.hgrm)}};
  if (base) lines.push_back({"baseline", "#9e9e9e", parse_hgrm(base->record.hgrm)});
  out += "<h2>Latency distribution</h2>\n";
  out +=
      percentile_plot_svg(base ? "Latency by percentile, this run and the baseline (ms, log scale)"
                               : "Latency by percentile (ms, log scale)",
                          lines);
  const json& latency = r.bench.value("latency", json::object());
  out +=
      "<table class=\"grid\"><tr><th>percentile</th><th>corrected</th><th>uncorrected</th></tr>\n";
  for (const auto& [label, key] : percentile_rows()) {
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", label,
                       latency_text(latency.value("corrected", json::object()), key),
                       latency_text(latency.value("uncorrected", json::object()), key));
  }
  out +=
      "</table>\n<p class=\"dim\">The full distributions: latency.hgrm and "
      "latency-uncorrected.hgrm (HdrHistogram format); per second: seconds.csv.</p>\n";
}

}  // namespace

std::string bench_report_html(const BenchRecord& record, const BenchBaseline* baseline) {
  std::string out;
  out.reserve(64 * 1024);
  render_header(out, record);
  render_repeat(out, record.bench.value("repeat", json()));
  if (baseline) render_comparison(out, record, *baseline);
  render_over_time(out, record.bench);
  out += fault_windows_html(record.bench);
  render_distribution(out, record, baseline);
  out += "<h2>Counts and client CPU</h2>\n";
  render_json(out, {{"counts", record.bench.value("counts", json::object())},
                    {"client_cpu", record.bench.value("client_cpu", json::object())},
                    {"warnings", record.bench.value("warnings", json::array())}});
  out += "<h2>Server</h2>\n";
  render_json(out, record.run.value("server", json::object()));
  out += "<h2>Configuration</h2>\n<p class=\"dim\">run.json</p>\n";
  json config = record.run;
  config.erase("server");
  render_json(out, config);
  render_page_end(out, record.directory);
  return out;
}

}  // namespace redproof
