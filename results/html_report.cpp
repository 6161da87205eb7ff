#include "results/html_report.hpp"

#include "core/text_format.hpp"
#include "results/anomaly_timeline.hpp"
#include "results/details_chart.hpp"
#include "results/latency_scatter.hpp"
#include "results/replay_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "checkers/fault_windows.hpp"
#include "checkers/operation_latency.hpp"
#include "core/duration.hpp"
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

bool is_ns_key(const std::string& key) {
  return key.size() > 3 && key.compare(key.size() - 3, 3, "_ns") == 0;
}

// Renders any JSON value as HTML: objects as key/value tables, arrays of objects as tables,
// other arrays as lists. Values of keys ending in _ns are shown as durations beside the number.
void render_json(std::string& out, const nlohmann::json& j, int depth, const std::string& key = {});

void render_scalar(std::string& out, const nlohmann::json& j, const std::string& key) {
  if (j.is_number_integer() && is_ns_key(key)) {
    out += fmt::format("{} <span class=\"dim\">({})</span>", esc(j.dump()),
                       esc(duration_text(j.get<std::int64_t>())));
    return;
  }
  out += esc(plain(j));
}

void render_table(std::string& out, const nlohmann::json& rows, int depth) {
  constexpr std::size_t kMaxRows = 100;
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (const auto& row : rows) {
    for (const auto& [k, v] : row.items()) {
      if (seen.insert(k).second) columns.push_back(k);
    }
  }
  out += "<table class=\"grid\"><tr>";
  for (const auto& c : columns) out += "<th>" + esc(c) + "</th>";
  out += "</tr>\n";
  std::size_t shown = 0;
  for (const auto& row : rows) {
    if (shown++ == kMaxRows) break;
    out += "<tr>";
    for (const auto& c : columns) {
      out += "<td>";
      if (row.contains(c)) render_json(out, row[c], depth + 1, c);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n";
  if (rows.size() > kMaxRows) {
    out += fmt::format("<p class=\"dim\">and {} more (see results.json)</p>\n",
                       rows.size() - kMaxRows);
  }
}

void render_json(std::string& out, const nlohmann::json& j, int depth, const std::string& key) {
  if (depth > 4) {
    out += "<code>" + esc(j.dump()) + "</code>";
    return;
  }
  if (j.is_object()) {
    if (j.empty()) {
      out += "<span class=\"dim\">(none)</span>";
      return;
    }
    out += "<table class=\"kv\">\n";
    for (const auto& [k, v] : j.items()) {
      out += "<tr><th>" + esc(k) + "</th><td>";
      render_json(out, v, depth + 1, k);
      out += "</td></tr>\n";
    }
    out += "</table>\n";
  } else if (j.is_array()) {
    if (j.empty()) {
      out += "<span class=\"dim\">(none)</span>";
    } else if (std::all_of(j.begin(), j.end(), [](const auto& x) { return x.is_object(); })) {
      render_table(out, j, depth);
    } else {
      std::string sep;
      for (const auto& x : j) {
        out += sep;
        render_json(out, x, depth + 1, key);
        sep = ", ";
      }
    }
  } else {
    render_scalar(out, j, key);
  }
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
    render_json(out, a.magnitude, 0);
    out += "</details>\n";
  }
  out += "</div>\n";
}

// ---- charts ----

struct Series {
  std::string name;
  std::string color;
  std::vector<std::pair<double, double>> points;  // (seconds, value)
};

struct Band {
  double from_s, to_s;
  std::string label;
};

constexpr double kWidth = 900, kHeight = 260;
constexpr double kLeft = 70, kRight = 20, kTop = 28, kBottom = 32;

std::string number_text(double v) {
  if (v == 0) return "0";
  if (std::fabs(v) >= 100) return fmt::format("{:.0f}", v);
  if (std::fabs(v) >= 1) return fmt::format("{:.3g}", v);
  return fmt::format("{:.2g}", v);
}

// A step of 1, 2 or 5 × 10^k that cuts `span` into about `parts` pieces.
double nice_step(double span, int parts) {
  const double raw = span / parts;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * magnitude) return m * magnitude;
  }
  return 10 * magnitude;
}

// A line chart over the run's seconds with the fault windows shaded behind it. Log scale suits
// latency (a pause is three orders of magnitude above the rest; linear would flatten it).
std::string svg_chart(const std::string& title, const std::string& unit,
                      const std::vector<Series>& series, const std::vector<Band>& bands,
                      double x_max, bool log_y) {
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double y_min = log_y ? 1e300 : 0, y_max = 0;
  for (const auto& s : series) {
    for (const auto& [x, y] : s.points) {
      y_max = std::max(y_max, y);
      if (log_y && y > 0) y_min = std::min(y_min, y);
    }
  }
  if (log_y) {
    if (y_min > y_max) y_min = y_max = 1;
    y_min = std::pow(10.0, std::floor(std::log10(y_min)));
    y_max = std::pow(10.0, std::ceil(std::log10(y_max)));
    if (y_max <= y_min) y_max = y_min * 10;
  } else {
    if (y_max <= 0) y_max = 1;
    y_max = std::ceil(y_max * 1.1 / nice_step(y_max * 1.1, 5)) * nice_step(y_max * 1.1, 5);
  }
  x_max = std::max(x_max, 1.0);
  auto px = [&](double x) { return kLeft + plot_w * x / x_max; };
  auto py = [&](double y) {
    double f = log_y ? (std::log10(std::max(y, y_min)) - std::log10(y_min)) /
                           (std::log10(y_max) - std::log10(y_min))
                     : y / y_max;
    return kTop + plot_h * (1 - std::clamp(f, 0.0, 1.0));
  };

  std::string out = fmt::format(
      "<figure><figcaption>{}</figcaption>\n<svg class=\"chart\" viewBox=\"0 0 {} {}\" "
      "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n",
      esc(title), kWidth, kHeight, kWidth, kHeight, esc(title));
  // Fault windows first, so the lines are drawn over them.
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const auto& b = bands[i];
    const double x0 = px(std::clamp(b.from_s, 0.0, x_max));
    const double x1 = std::max(px(std::clamp(b.to_s, 0.0, x_max)), x0 + 1.5);
    out += fmt::format(
        "<rect class=\"fault\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\"><title>{}"
        "</title></rect>\n<text class=\"fault-label\" x=\"{:.1f}\" y=\"{}\">{}</text>\n",
        x0, kTop, x1 - x0, plot_h, esc(b.label), x0 + 2, kTop - 4 - 9.0 * (i % 2), esc(b.label));
  }
  // Axes and grid.
  out += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>\n", kLeft,
                     kTop, kTop + plot_h);
  out += fmt::format("<line class=\"axis\" x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\"/>\n", kLeft,
                     kLeft + plot_w, kTop + plot_h);
  std::vector<double> y_ticks;
  if (log_y) {
    for (double y = y_min; y <= y_max * 1.0001; y *= 10) y_ticks.push_back(y);
  } else {
    const double step = nice_step(y_max, 5);
    for (double y = 0; y <= y_max * 1.0001; y += step) y_ticks.push_back(y);
  }
  for (double y : y_ticks) {
    out += fmt::format(
        "<line class=\"grid\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\"/>"
        "<text class=\"tick\" x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        kLeft, py(y), kLeft + plot_w, kLeft - 6, py(y) + 4, esc(number_text(y)));
  }
  const double x_step = nice_step(x_max, 10);
  for (double x = 0; x <= x_max + 1e-9; x += x_step) {
    out +=
        fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                    px(x), kTop + plot_h + 16, esc(number_text(x)));
  }
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">s</text>\n",
                     kLeft + plot_w, kTop + plot_h + 28);
  out += fmt::format(
      "<text class=\"tick\" x=\"12\" y=\"{0}\" transform=\"rotate(-90 12 {0})\" "
      "text-anchor=\"middle\">{1}</text>\n",
      kTop + plot_h / 2, esc(unit));
  // Lines, with a legend along the top right.
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    std::string points;
    for (const auto& [x, y] : s.points) {
      if (log_y && y <= 0) continue;  // nothing completed that second: no point, not zero
      points += fmt::format("{:.1f},{:.1f} ", px(x), py(y));
    }
    out +=
        fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"/>\n",
                    esc(s.color), points);
    const double lx = kLeft + plot_w - 110.0 * (series.size() - i);
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>"
        "<text class=\"tick\" x=\"{:.1f}\" y=\"{}\">{}</text>\n",
        lx, kHeight - 12, esc(s.color), lx + 14, kHeight - 3, esc(s.name));
  }
  out += "</svg></figure>\n";
  return out;
}

constexpr std::size_t kAnomaliesDrawn = 10;

// What every chart of the run shares: the fault windows to shade and the run's length.
struct ChartFrame {
  std::vector<Band> bands;
  double x_max = 1.0;
};

// A checker's per-second series (details_chart.hpp), one panel each on the run's time axis, so
// that series of very different sizes (database loads beside all operations) both stay legible.
void render_detail_series(std::string& out, const std::string& checker,
                          const nlohmann::json& details, const ChartFrame& frame) {
  static const char* const kColors[] = {"#c62828", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00"};
  std::size_t n = 0;
  for (const DetailSeries& s : per_second_series(details)) {
    Series line{s.title, kColors[n++ % std::size(kColors)], {}};
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      line.points.emplace_back(static_cast<double>(i) + 0.5, s.values[i]);
    }
    out += svg_chart(checker + ": " + s.title, "per s", {line}, frame.bands,
                     std::max(frame.x_max, static_cast<double>(s.values.size())), false);
  }
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
  render_json(out, rest, 0);
  out += "</details></div>\n";
}

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#1d1f21}
h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;border-bottom:1px solid #ddd;margin-top:32px}
h3{font-size:15px;margin-bottom:4px}h4{font-size:14px;margin:10px 0 4px}
table{border-collapse:collapse;margin:4px 0}th,td{text-align:left;padding:2px 8px;vertical-align:top}
table.grid th,table.grid td{border:1px solid #ddd}table.kv th{font-weight:600;color:#444}
.badge{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;font-size:13px}
.badge.valid{background:#2e7d32}.badge.invalid{background:#c62828}.badge.unknown{background:#ef6c00}
.bad{color:#c62828}.dim{color:#777}.checker{margin:12px 0 20px}code{font-size:12px}
figure{margin:12px 0}figcaption{font-weight:600}svg.chart{max-width:100%;height:auto}
rect.fault{fill:#ffb74d;fill-opacity:.28}.fault-label{font-size:10px;fill:#b85c00}
line.axis{stroke:#555}line.grid{stroke:#eee}.tick{font-size:11px;fill:#555}
.anomaly{border-left:3px solid #c62828;padding:2px 10px;margin:10px 0}
svg.timeline{max-width:100%;height:auto;background:#fafafa}
.verdict{font-size:16px;font-weight:600}
)";

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
  out += kStyle;
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
  if (!record.reason.empty()) {
    out += "<p class=\"bad\">Unknown because: " + esc(record.reason) + "</p>\n";
  } else if (stats.value("interrupted", false)) {
    out += "<p class=\"bad\">The run was interrupted (Ctrl-C): its verdict is unknown.</p>\n";
  }
}

std::vector<Band> fault_bands(const std::vector<FaultWindow>& windows) {
  std::vector<Band> bands;
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
  const std::vector<Band>& bands = frame.bands;
  const double x_max = frame.x_max;
  Series p50{"p50", "#1565c0", {}}, p99{"p99", "#6a1b9a", {}}, max{"max", "#c62828", {}};
  Series ok{"ok", "#2e7d32", {}}, fail{"fail", "#c62828", {}}, info{"info", "#ef6c00", {}};
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
  for (const auto& [label, key] :
       std::vector<std::pair<const char*, const char*>>{{"min", "min_ns"},
                                                        {"50%", "p50_ns"},
                                                        {"90%", "p90_ns"},
                                                        {"99%", "p99_ns"},
                                                        {"99.9%", "p999_ns"},
                                                        {"99.99%", "p9999_ns"},
                                                        {"max", "max_ns"},
                                                        {"mean", "mean_ns"}}) {
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
  const std::vector<SecondFigures> seconds = per_second_figures(record.history);
  const ChartFrame frame{fault_bands(windows), run_seconds(record, seconds.size())};
  render_header(out, record, stats);
  render_verdicts(out, record, windows, frame);
  render_over_time(out, record, windows, seconds, frame);
  render_percentiles(out, stats["latency"]);
  out += "<h2>Operations</h2>\n";
  render_json(out, stats.value("operations", nlohmann::json::object()), 0);
  out += "<h2>Configuration</h2>\n<p class=\"dim\">run.json</p>\n";
  render_json(out, record.config, 0);
  if (!record.directory.empty()) {
    out += fmt::format("<p class=\"dim\">Results directory: {}</p>\n",
                       esc(std::filesystem::path(record.directory).string()));
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace redproof
