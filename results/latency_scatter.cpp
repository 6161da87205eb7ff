#include "results/latency_scatter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/latency_histogram.hpp"
#include "core/text_format.hpp"

namespace redproof {

namespace {

constexpr double kWidth = 900, kHeight = 300, kLeft = 70, kRight = 20, kTop = 24, kBottom = 32;

const char* colour(OpType outcome) {
  switch (outcome) {
    case OpType::kOk:
      return "#2e7d32";
    case OpType::kFail:
      return "#757575";
    default:
      return "#ef6c00";
  }
}

struct Axes {
  double x_max_s;
  double y_min_log, y_max_log;  // log10 of milliseconds
  double x(double seconds) const { return kLeft + seconds / x_max_s * (kWidth - kLeft - kRight); }
  double y(double ms) const {
    const double v = std::log10(std::max(ms, 1e-3));
    return kHeight - kBottom -
           (v - y_min_log) / (y_max_log - y_min_log) * (kHeight - kTop - kBottom);
  }
};

Axes axes_for(const std::vector<const OperationLatency*>& points, std::int64_t end_ns) {
  double lo = 1e9, hi = 1e-3;
  for (const auto* p : points) {
    const double ms = std::max(p->latency_ns() / 1e6, 1e-3);
    lo = std::min(lo, ms);
    hi = std::max(hi, ms);
  }
  return {std::max(end_ns / 1e9, 1.0), std::floor(std::log10(lo)),
          std::max(std::ceil(std::log10(hi)), std::floor(std::log10(lo)) + 1)};
}

void draw_frame(std::string& out, const Axes& a, const std::vector<FaultWindow>& windows) {
  for (const auto& w : windows) {
    out += fmt::format(
        "<rect class=\"fault\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" "
        "height=\"{}\"><title>{}</title>"
        "</rect><text class=\"fault-label\" x=\"{:.1f}\" y=\"{}\">{}</text>\n",
        a.x(w.start_ns / 1e9), kTop, std::max(1.0, a.x(w.end_ns / 1e9) - a.x(w.start_ns / 1e9)),
        kHeight - kTop - kBottom, html_escape(describe(w)), a.x(w.start_ns / 1e9) + 2, kTop - 6,
        html_escape(w.fault));
  }
  for (double e = a.y_min_log; e <= a.y_max_log; e += 1) {
    const double ms = std::pow(10.0, e);
    out += fmt::format(
        "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/><text "
        "class=\"tick\" "
        "x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
        kLeft, kWidth - kRight, a.y(ms), a.y(ms), kLeft - 6, a.y(ms) + 4,
        ms >= 1 ? fmt::format("{:g} ms", ms) : fmt::format("{:g} µs", ms * 1000));
  }
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">0 s</text>", kLeft, kHeight - 10);
  out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{:.1f} s</text>\n",
                     kWidth - kRight, kHeight - 10, a.x_max_s);
}

// The per-second p50 and p99 of ok and fail operations, as two polylines.
void draw_percentile_lines(std::string& out, const Axes& a,
                           const std::vector<OperationLatency>& ops) {
  std::map<std::int64_t, LatencyHistogram> per_second;
  for (const auto& op : ops) {
    if (op.outcome != OpType::kInfo)
      per_second[op.complete_ns / 1'000'000'000].record_ns(op.latency_ns());
  }
  for (const auto& [percentile, stroke] :
       {std::pair{50.0, "#1565c0"}, std::pair{99.0, "#6a1b9a"}}) {
    std::string points;
    for (const auto& [second, h] : per_second) {
      points +=
          fmt::format("{:.1f},{:.1f} ", a.x(second + 0.5), a.y(h.percentile_ns(percentile) / 1e6));
    }
    out += fmt::format(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" points=\"{}\"><title>p{:g} per "
        "second</title></polyline>\n",
        stroke, points, percentile);
  }
}

}  // namespace

std::vector<const OperationLatency*> scatter_sample(const std::vector<OperationLatency>& ops,
                                                    std::int64_t outlier_ns, std::size_t budget) {
  std::vector<const OperationLatency*> out;
  const std::size_t stride = std::max<std::size_t>(1, (ops.size() + budget - 1) / budget);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (i % stride == 0 || ops[i].latency_ns() > outlier_ns) out.push_back(&ops[i]);
  }
  return out;
}

std::string latency_scatter_svg(const std::vector<OperationLatency>& ops,
                                const std::vector<FaultWindow>& windows) {
  if (ops.empty()) return {};
  LatencyHistogram all;
  std::int64_t end_ns = 0;
  for (const auto& op : ops) {
    all.record_ns(op.latency_ns());
    end_ns = std::max(end_ns, op.complete_ns);
  }
  const auto points = scatter_sample(ops, all.percentile_ns(99));
  const Axes a = axes_for(points, end_ns);
  std::string out = fmt::format(
      "<figure><figcaption>Latency of every operation (ms, log scale): green ok, grey fail, orange "
      "unknown; lines: p50 and p99 per second{}</figcaption>\n<svg class=\"chart\" viewBox=\"0 0 "
      "{} {}\" width=\"{}\" height=\"{}\">\n",
      points.size() < ops.size()
          ? fmt::format(" ({} of {} operations drawn, every one above p99 among them)",
                        points.size(), ops.size())
          : "",
      kWidth, kHeight, kWidth, kHeight);
  draw_frame(out, a, windows);
  for (const auto* p : points) {
    out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"1.6\" fill=\"{}\"/>",
                       a.x(p->complete_ns / 1e9), a.y(p->latency_ns() / 1e6), colour(p->outcome));
  }
  out += "\n";
  draw_percentile_lines(out, a, ops);
  out += "</svg></figure>\n";
  return out;
}

}  // namespace redproof
