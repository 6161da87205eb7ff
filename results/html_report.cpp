#include "results/html_report.hpp"

#include "core/text_format.hpp"
#include "results/anomaly_timeline.hpp"
#include "results/details_chart.hpp"
#include "results/latency_scatter.hpp"
#include "results/replay_command.hpp"
#include "results/report_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "checkers/fault_windows.hpp"
#include "checkers/operation_latency.hpp"
#include "core/duration.hpp"
#include "core/history_reader.hpp"
#include "results/results_json.hpp"
#include "results/time_series.hpp"

namespace redproof {

namespace {

std::string esc(std::string_view s) {
  return html_escape(s);
}

std::string duration_text(std::int64_t ns) {
  return format_duration(Nanos(ns));
}

std::string verdict_badge(Validity v) {
  return fmt::format("<span class=\"badge {0}\">{0}</span>", validity_name(v));
}

std::string faults_text(const nlohmann::json& faults) {
  if (!faults.is_array()) return faults.is_null() ? "none" : plain(faults);
  std::string s;
  for (const auto& f : faults) s += (s.empty() ? "" : ", ") + plain(f);
  return s.empty() ? "none" : s;
}

// One anomaly: its sentence, the faults then, its figures, and the operations around it.
void render_anomaly(std::string& out, const Anomaly& a, const OperationIntervals& ops,
                    const std::vector<FaultWindow>& windows) {
  out += fmt::format("<div class=\"anomaly\"><p><b class=\"{}\">{}</b>{} {}</p>\n",
                     a.violation ? "bad" : "dim", esc(a.name), a.violation ? "" : " (note)",
                     esc(a.sentence));
  std::string when = fmt::format("{} – {}", seconds_text(a.from_ns), seconds_text(a.to_ns));
  if (!a.key.empty()) when = "key " + a.key + " · " + when;
  out += fmt::format("<p class=\"dim\">{} · faults active: {} · operations {}</p>\n", esc(when),
                     esc(faults_text(a.faults)), esc(plain(nlohmann::json(a.ops))));
  out += anomaly_timeline_svg(ops, windows, a);
  if (a.magnitude.is_object() && !a.magnitude.empty()) {
    out += "<details><summary>figures</summary>\n";
    render_json(out, a.magnitude);
    out += "</details>\n";
  }
  out += "</div>\n";
}

constexpr std::size_t kAnomaliesDrawn = 10;

// What every chart of the run shares: the fault windows to shade and the run's length.
struct ChartFrame {
  std::vector<ChartBand> bands;
  double x_max = 1.0;
};

// What the ticks on a checker's charts are: how many, the first one's label as an example, and
// how many the checker left out.
std::string markers_caption(const DetailMarkers& markers) {
  std::string text = fmt::format("Ticks on the charts above: {} marker(s), e.g. \"{}\"",
                                 markers.marks.size(), markers.marks.front().label);
  if (markers.left_out > 0) text += fmt::format("; {} more not drawn", markers.left_out);
  return "<p class=\"dim\">" + esc(text) + " (hover a tick for its label).</p>\n";
}

// A checker's series (details_chart.hpp: per second, or finer), one panel each on the run's time
// axis, so that series of very different sizes (database loads beside all operations) both stay
// legible. The checker's markers are ticks on every panel, the fault windows shaded behind.
void render_detail_series(std::string& out, const std::string& checker,
                          const nlohmann::json& details, const ChartFrame& frame) {
  static const char* const kColors[] = {"#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00"};
  const DetailMarkers markers = detail_markers(details);
  std::vector<ChartMark> marks;
  marks.reserve(markers.marks.size());
  for (const DetailMarker& m : markers.marks) marks.push_back({m.t_s, m.label});
  std::size_t n = 0;
  for (const DetailSeries& s : detail_series(details)) {
    ChartSeries line{s.title, kColors[n++ % std::size(kColors)], {}};
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      line.points.emplace_back((static_cast<double>(i) + 0.5) * s.step_s, s.values[i]);
    }
    const std::string unit =
        s.step_s == 1 ? "per s" : fmt::format("per {} ms", std::lround(s.step_s * 1000));
    out += svg_chart(checker + ": " + s.title, unit, {line}, frame.bands,
                     std::max(frame.x_max, static_cast<double>(s.values.size()) * s.step_s), false,
                     marks);
  }
  if (n > 0 && !markers.marks.empty()) out += markers_caption(markers);
}

void render_checker(std::string& out, const std::string& name, const CheckResult& result,
                    const OperationIntervals& ops, const std::vector<FaultWindow>& windows,
                    const ChartFrame& frame) {
  out += fmt::format("<div class=\"checker\"><h3>{} {}</h3>\n", esc(name),
                     verdict_badge(result.valid));
  nlohmann::json rest = result.details;
  if (rest.is_object() && rest.contains("error")) {
    out += "<p class=\"bad\">" + esc(plain(rest["error"])) + "</p>\n";
    rest.erase("error");
  }
  std::size_t drawn = 0;
  for (const Anomaly& a : result.anomalies) {
    if (drawn++ == kAnomaliesDrawn) {
      out += fmt::format("<p class=\"dim\">{} more in results.json</p>\n",
                         result.anomalies.size() - kAnomaliesDrawn);
      break;
    }
    render_anomaly(out, a, ops, windows);
  }
  if (!result.html.empty()) out += "<div class=\"counterexample\">" + result.html + "</div>\n";
  render_detail_series(out, name, rest, frame);
  out += "<details><summary>details</summary>\n";
  render_json(out, rest);
  out += "</details></div>\n";
}

std::string ns_field(const nlohmann::json& j, const char* k) {
  return j.contains(k) && j[k].is_number_integer() ? duration_text(j[k].get<std::int64_t>())
                                                   : std::string("-");
}

// "Invalid: 3 anomalies (double-holder ×2, slo-breach)." — what a reader wants first.
std::string verdict_in_words(const RunRecord& record) {
  std::map<std::string, int> names;
  int total = 0;
  for (const auto& [checker, result] : record.checks) {
    for (const Anomaly& a : result.anomalies) {
      if (!a.violation) continue;
      ++names[a.name];
      ++total;
    }
  }
  std::string list;
  for (const auto& [name, n] : names) {
    list += (list.empty() ? "" : ", ") + name + (n > 1 ? fmt::format(" ×{}", n) : "");
  }
  switch (record.valid) {
    case Validity::kValid:
      return "Valid: every checker passed; the pattern held under this run's faults.";
    case Validity::kInvalid:
      return fmt::format("Invalid: {} anomal{} found ({}).", total, total == 1 ? "y" : "ies",
                         list.empty() ? "an SLO or a checker said so" : list);
    case Validity::kUnknown:
      return "Unknown: the run could not be decided (see why below).";
  }
  return {};
}

// The title, the verdict in words, and the run's headline figures.
void render_header(std::string& out, const RunRecord& record, const nlohmann::json& stats) {
  const nlohmann::json& c = record.config;
  auto field = [&](const char* name) {
    return c.is_object() ? plain(c.value(name, nlohmann::json("?"))) : std::string("?");
  };
  const std::string faults =
      c.is_object() ? faults_text(c.value("faults", nlohmann::json())) : "none";
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += fmt::format("<title>redproof: {} / {} / {}</title>\n", esc(field("workload")),
                     esc(field("variant")), esc(faults));
  out += "<style>";
  out += report_style();
  out += "</style></head><body>\n";
  out += fmt::format("<h1>{} / {} / {} {}</h1>\n", esc(field("workload")), esc(field("variant")),
                     esc(faults), verdict_badge(record.valid));
  const nlohmann::json& completed = stats["completed"];
  const nlohmann::json& latency = stats["latency"];
  out += fmt::format(
      "<p>Started {} · {:.1f} s · {} operations ({} ok, {} fail, {} info) · {:.1f} ops/s · "
      "p50 {} · p99 {} · max {}</p>\n",
      esc(field("started")), stats.value("duration_s", 0.0), completed.value("total", 0),
      completed.value("ok", 0), completed.value("fail", 0), completed.value("info", 0),
      stats.value("ops_per_s", 0.0), esc(ns_field(latency, "p50_ns")),
      esc(ns_field(latency, "p99_ns")), esc(ns_field(latency, "max_ns")));
  out += "<p class=\"verdict\">" + esc(verdict_in_words(record)) + "</p>\n";
  if (const std::string replay = replay_command(record.config); !replay.empty()) {
    out += "<p class=\"dim\">Replay: <code>" + esc(replay) + "</code></p>\n";
  }
  if (record.history_torn_lines > 0) {
    out +=
        "<p class=\"bad\">Warning: " + esc(torn_line_warning(record.history_torn_bytes)) + "</p>\n";
  }
  if (const std::string reason = unknown_reason(record); !reason.empty()) {
    out += "<p class=\"bad\">Unknown because: " + esc(reason) + "</p>\n";
  } else if (stats.value("interrupted", false)) {
    out += "<p class=\"bad\">The run was interrupted (Ctrl-C): its verdict is unknown.</p>\n";
  }
}

std::vector<ChartBand> fault_bands(const std::vector<FaultWindow>& windows) {
  std::vector<ChartBand> bands;
  for (const auto& w : windows) {
    bands.push_back(
        {static_cast<double>(w.start_ns) / 1e9, static_cast<double>(w.end_ns) / 1e9, describe(w)});
  }
  return bands;
}

// The run's length in seconds: its last second with a completion, or its last event.
double run_seconds(const RunRecord& record, std::size_t seconds_counted) {
  double x_max = seconds_counted == 0 ? 1.0 : static_cast<double>(seconds_counted);
  if (!record.history.empty()) {
    x_max = std::max(x_max, static_cast<double>(record.history.back().time) / 1e9);
  }
  return x_max;
}

void render_verdicts(std::string& out, const RunRecord& record,
                     const std::vector<FaultWindow>& windows, const ChartFrame& frame) {
  out += "<h2>Verdicts</h2>\n";
  if (record.checks.empty()) {
    out += "<p class=\"dim\">No checker ran (the run ended before checking).</p>\n";
  }
  const OperationIntervals intervals(record.history);
  for (const auto& [name, result] : record.checks) {
    render_checker(out, name, result, intervals, windows, frame);
  }
}

// Latency and throughput per second, fault windows shaded, and the windows as a table.
void render_over_time(std::string& out, const RunRecord& record,
                      const std::vector<FaultWindow>& windows,
                      const std::vector<SecondFigures>& seconds, const ChartFrame& frame) {
  const std::vector<ChartBand>& bands = frame.bands;
  const double x_max = frame.x_max;
  ChartSeries p50{"p50", "#1565c0", {}}, p99{"p99", "#6a1b9a", {}}, max{"max", "#c62828", {}};
  ChartSeries ok{"ok", "#2e7d32", {}}, fail{"fail", "#c62828", {}}, info{"info", "#ef6c00", {}};
  for (const auto& s : seconds) {
    const double x = static_cast<double>(s.second) + 0.5;
    p50.points.emplace_back(x, s.p50_ns / 1e6);
    p99.points.emplace_back(x, s.p99_ns / 1e6);
    max.points.emplace_back(x, s.max_ns / 1e6);
    ok.points.emplace_back(x, static_cast<double>(s.ok));
    fail.points.emplace_back(x, static_cast<double>(s.fail));
    info.points.emplace_back(x, static_cast<double>(s.info));
  }
  out += "<h2>Over time</h2>\n";
  out += windows.empty() ? "<p class=\"dim\">No fault was active during this run.</p>\n"
                         : "<p>Shaded: the periods each fault was in effect.</p>\n";
  out += latency_scatter_svg(operation_latencies(record.history), windows);
  out += svg_chart("Latency per second (ms, log scale; ok and fail operations)", "ms",
                   {p50, p99, max}, bands, x_max, true);
  out += svg_chart("Throughput per second (completed operations)", "ops/s", {ok, fail, info}, bands,
                   x_max, false);
  if (windows.empty()) return;
  out +=
      "<table class=\"grid\"><tr><th>fault</th><th>from</th><th>to</th><th>length</th>"
      "<th>ended by</th></tr>\n";
  for (const auto& w : windows) {
    out += fmt::format(
        "<tr><td>{}</td><td>{:.3f} s</td><td>{:.3f} s</td><td>{}</td><td>{}</td></tr>\n",
        esc(describe(w)), w.start_ns / 1e9, w.end_ns / 1e9,
        esc(duration_text(w.end_ns - w.start_ns)), w.healed_only ? "final heal" : "its stop");
  }
  out += "</table>\n";
}

void render_percentiles(std::string& out, const nlohmann::json& latency) {
  out +=
      "<h2>Latency percentiles</h2>\n<p class=\"dim\">ok and fail operations; the full "
      "distribution is in latency.hgrm (HdrHistogram format).</p>\n"
      "<table class=\"grid\"><tr><th>percentile</th><th>latency</th></tr>\n";
  for (const auto& [label, key] : percentile_rows()) {
    out += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", label, esc(ns_field(latency, key)));
  }
  out += fmt::format("<tr><td>count</td><td>{}</td></tr>\n</table>\n", latency.value("count", 0));
}

}  // namespace

std::string html_report(const RunRecord& record) {
  const nlohmann::json results = results_json(record);
  const nlohmann::json& stats = results["stats"];
  const std::vector<FaultWindow> windows = fault_windows(record.history);
  std::string out;
  out.reserve(64 * 1024);
  render_header(out, record, stats);
  const std::vector<SecondFigures> seconds = per_second_figures(record.history);
  const ChartFrame frame{fault_bands(windows), run_seconds(record, seconds.size())};
  render_verdicts(out, record, windows, frame);
  render_over_time(out, record, windows, seconds, frame);
  render_percentiles(out, stats["latency"]);
  out += "<h2>Operations</h2>\n";
  render_json(out, stats.value("operations", nlohmann::json::object()));
  out += "<h2>Configuration</h2>\n<p class=\"dim\">run.json</p>\n";
  render_json(out, record.config);
  render_page_end(out, record.directory);
  return out;
}

}  // namespace redproof
