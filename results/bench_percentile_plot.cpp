#include "results/bench_percentile_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/text_format.hpp"

namespace redproof {

namespace {

constexpr double kWidth = 900, kHeight = 300, kLeft = 70, kRight = 20, kTop = 24, kBottom = 40;
constexpr double kMaxNines = 6;  // the x axis ends at 99.9999%

// How far along the percentile axis: log10(1/(1-p)), capped where the last line's 1.0 would be
// infinite.
double nines(double percentile) {
  return std::min(kMaxNines, -std::log10(std::max(1.0 - percentile, 1e-6)));
}

}  // namespace

std::vector<HgrmPoint> parse_hgrm(const std::string& text) {
  std::vector<HgrmPoint> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    HgrmPoint p;
    if (line.empty() || line[0] == '#' || !(fields >> p.value_ms >> p.percentile)) continue;
    out.push_back(p);
  }
  return out;
}

std::string percentile_plot_svg(const std::string& title, const std::vector<Distribution>& lines) {
  double x_max = 2, y_max = 0;
  for (const auto& d : lines) {
    for (const auto& p : d.points) {
      x_max = std::max(x_max, std::ceil(nines(p.percentile)));
      y_max = std::max(y_max, p.value_ms);
    }
  }
  if (y_max <= 0) return {};
  x_max = std::min(x_max, kMaxNines);
  const double y_top = std::pow(10.0, std::ceil(std::log10(y_max)));
  const double y_bottom = y_top / 1e4;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto px = [&](double percentile) { return kLeft + plot_w * nines(percentile) / x_max; };
  auto py = [&](double ms) {
    const double f = (std::log10(std::max(ms, y_bottom)) - std::log10(y_bottom)) /
                     (std::log10(y_top) - std::log10(y_bottom));
    return kTop + plot_h * (1 - f);
  };
  std::string out = fmt::format(
      "<figure><figcaption>{}</figcaption>\n<svg class=\"chart\" viewBox=\"0 0 {} {}\" "
      "width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">\n",
      html_escape(title), kWidth, kHeight, kWidth, kHeight, html_escape(title));
  for (double ms = y_bottom; ms <= y_top * 1.0001; ms *= 10) {
    out += fmt::format(
        "<line class=\"grid\" x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\"/><text "
        "class=\"tick\" x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:g} ms</text>\n",
        kLeft, py(ms), kLeft + plot_w, kLeft - 6, py(ms) + 4, ms);
  }
  static const char* const kLabels[] = {"0%",     "90%",     "99%",     "99.9%",
                                        "99.99%", "99.999%", "99.9999%"};
  for (int n = 0; n <= static_cast<int>(x_max); ++n) {
    const double x = kLeft + plot_w * n / x_max;
    out += fmt::format(
        "<line class=\"grid\" x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\"/><text "
        "class=\"tick\" x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        x, kTop, kTop + plot_h, kTop + plot_h + 16, kLabels[n]);
  }
  out +=
      fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">percentile</text>\n",
                  kLeft + plot_w, kTop + plot_h + 32);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& d = lines[i];
    std::string points;
    for (const auto& p : d.points)
      points += fmt::format("{:.1f},{:.1f} ", px(p.percentile), py(p.value_ms));
    out += fmt::format(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\" points=\"{}\"><title>{}</title>"
        "</polyline>\n",
        html_escape(d.color), points, html_escape(d.name));
    const double lx = kLeft + 10 + 160.0 * i;
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text class=\"tick\" "
        "x=\"{:.1f}\" y=\"{}\">{}</text>\n",
        lx, kTop + 4, html_escape(d.color), lx + 14, kTop + 13, html_escape(d.name));
  }
  out += "</svg></figure>\n";
  return out;
}

}  // namespace redproof
