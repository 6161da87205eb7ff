#include "results/report_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/duration.hpp"
#include "core/text_format.hpp"

namespace redproof {

namespace {

std::string esc(std::string_view s) {
  return html_escape(s);
}

std::string duration_text(std::int64_t ns) {
  return format_duration(Nanos(ns));
}

constexpr double kWidth = 900, kHeight = 260;
constexpr double kLeft = 70, kRight = 20, kTop = 28, kBottom = 32;

bool is_ns_key(const std::string& key) {
  return key.size() > 3 && key.compare(key.size() - 3, 3, "_ns") == 0;
}

// Renders any JSON value as HTML: objects as key/value tables, arrays of objects as tables,
// other arrays as lists. Values of keys ending in _ns are shown as durations beside the number.
void render_json_at(std::string& out, const nlohmann::json& j, int depth, const std::string& key);

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
      if (row.contains(c)) render_json_at(out, row[c], depth + 1, c);
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

void render_json_at(std::string& out, const nlohmann::json& j, int depth, const std::string& key) {
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
      render_json_at(out, v, depth + 1, k);
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
        render_json_at(out, x, depth + 1, key);
        sep = ", ";
      }
    }
  } else {
    render_scalar(out, j, key);
  }
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

}  // namespace

const std::vector<std::pair<const char*, const char*>>& percentile_rows() {
  static const std::vector<std::pair<const char*, const char*>> rows{
      {"min", "min_ns"},    {"50%", "p50_ns"},      {"90%", "p90_ns"}, {"99%", "p99_ns"},
      {"99.9%", "p999_ns"}, {"99.99%", "p9999_ns"}, {"max", "max_ns"}, {"mean", "mean_ns"}};
  return rows;
}

void render_json(std::string& out, const nlohmann::json& j) {
  render_json_at(out, j, 0, {});
}

void render_page_end(std::string& out, const std::string& results_directory) {
  if (!results_directory.empty()) {
    out += fmt::format("<p class=\"dim\">Results directory: {}</p>\n", esc(results_directory));
  }
  out += "</body></html>\n";
}

std::string number_text(double v) {
  if (v == 0) return "0";
  if (std::fabs(v) >= 100) return fmt::format("{:.0f}", v);
  if (std::fabs(v) >= 1) return fmt::format("{:.3g}", v);
  return fmt::format("{:.2g}", v);
}

// A line chart over the run's seconds with the fault windows shaded behind it. Log scale suits
// latency (a pause is three orders of magnitude above the rest; linear would flatten it).
std::string svg_chart(const std::string& title, const std::string& unit,
                      const std::vector<ChartSeries>& series, const std::vector<ChartBand>& bands,
                      double x_max, bool log_y, const std::vector<ChartMark>& marks) {
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
  // Marks over the bands, under the lines: each line spans the plot, its label its tooltip.
  for (const ChartMark& m : marks) {
    const double x = px(std::clamp(m.at_s, 0.0, x_max));
    out += fmt::format(
        "<line class=\"mark\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"><title>{3} "
        "({4:.3f} s)</title></line>\n",
        x, kTop, kTop + plot_h, esc(m.label), m.at_s);
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

const char* report_style() {
  return R"(
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#1d1f21}
h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;border-bottom:1px solid #ddd;margin-top:32px}
h3{font-size:15px;margin-bottom:4px}h4{font-size:14px;margin:10px 0 4px}
table{border-collapse:collapse;margin:4px 0}th,td{text-align:left;padding:2px 8px;vertical-align:top}
table.grid th,table.grid td{border:1px solid #ddd}table.kv th{font-weight:600;color:#444}
.badge{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;font-size:13px}
.badge.valid{background:#2e7d32}.badge.invalid{background:#c62828}.badge.unknown{background:#ef6c00}
.bad{color:#c62828}.dim{color:#777}.checker{margin:12px 0 20px}code{font-size:12px}
figure{margin:12px 0}figcaption{font-weight:600}svg.chart{max-width:100%;height:auto}
rect.fault{fill:#ffb74d;fill-opacity:.28}line.mark{stroke:#6a1b9a;stroke-width:1;stroke-opacity:.45}.fault-label{font-size:10px;fill:#b85c00}
line.axis{stroke:#555}line.grid{stroke:#eee}.tick{font-size:11px;fill:#555}
.anomaly{border-left:3px solid #c62828;padding:2px 10px;margin:10px 0}
svg.timeline{max-width:100%;height:auto;background:#fafafa}
.verdict{font-size:16px;font-weight:600}
)";
}

}  // namespace redproof
