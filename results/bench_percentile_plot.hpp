// The latency distribution as HdrHistogram's plotter draws it: latency against percentile, the
// percentile axis stretched as 1/(1-p) on a log scale so that 99%, 99.9% and 99.99% are evenly
// spaced. Read from latency.hgrm files, so a baseline's distribution can be drawn beside a run's.
#pragma once

#include <string>
#include <vector>

namespace redproof {

struct HgrmPoint {
  double value_ms = 0;
  double percentile = 0;  // 0..1
};

// The distribution lines of HdrHistogram's percentile text (Value Percentile TotalCount ...);
// headers, blank lines and the #[...] footer are skipped.
std::vector<HgrmPoint> parse_hgrm(const std::string& text);

struct Distribution {
  std::string name;
  std::string color;
  std::vector<HgrmPoint> points;
};

// An inline SVG; empty when no distribution has a point.
std::string percentile_plot_svg(const std::string& title, const std::vector<Distribution>& lines);

}  // namespace redproof
