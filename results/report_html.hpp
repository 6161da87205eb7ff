// The building blocks every HTML report of redproof shares (a run's report.html, a benchmark's):
// one style sheet, JSON rendered as tables, and line charts over time as inline SVG with fault
// periods shaded. Self-contained output: no script, no external reference.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace redproof {

// The <style> content of every report page.
const char* report_style();

// Any JSON value as HTML: objects as key/value tables, arrays of objects as tables, other arrays
// as lists. Values of keys ending in _ns are shown as durations beside the number.
void render_json(std::string& out, const nlohmann::json& j);

// The end of every report page: where its results directory is (when known), then </body></html>.
void render_page_end(std::string& out, const std::string& results_directory);

// The rows of a latency percentile table: (label, key of core/latency_figures' JSON).
const std::vector<std::pair<const char*, const char*>>& percentile_rows();

struct ChartSeries {
  std::string name;
  std::string color;
  std::vector<std::pair<double, double>> points;  // (seconds, value)
};

// A shaded period (a fault window) with its label.
struct ChartBand {
  double from_s, to_s;
  std::string label;
};

// A moment to mark (an expiry, say): a thin vertical line across the plot, its label on hover.
struct ChartMark {
  double at_s;
  std::string label;
};

// "12.3", "0.05", "1500": short axis labels.
std::string number_text(double v);

// A line chart over the run's seconds with the bands shaded behind it. Log scale suits latency
// (a pause is three orders of magnitude above the rest; linear would flatten it).
std::string svg_chart(const std::string& title, const std::string& unit,
                      const std::vector<ChartSeries>& series, const std::vector<ChartBand>& bands,
                      double x_max, bool log_y, const std::vector<ChartMark>& marks = {});

}  // namespace redproof
