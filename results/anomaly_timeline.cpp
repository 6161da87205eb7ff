#include "results/anomaly_timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/text_format.hpp"

namespace redproof {

namespace {

constexpr std::size_t kMaxLanes = 14;
constexpr std::size_t kMaxBars = 400;
constexpr double kWidth = 900, kLeft = 90, kRight = 20, kLane = 22, kTop = 26;

struct Span {
  std::int64_t from_ns, to_ns;
};

// The period to draw: the anomaly's own plus the operations it names, with a margin either side.
Span span_of(const OperationIntervals& ops, const Anomaly& a) {
  std::int64_t from = a.from_ns, to = std::max(a.to_ns, a.from_ns);
  bool any = a.to_ns > 0 || a.from_ns > 0;
  for (std::int64_t i : a.ops) {
    const auto* iv = ops.of_index(i);
    if (!iv) continue;
    const std::int64_t start = iv->invoke->time;
    const std::int64_t end = iv->completion ? iv->completion->time : ops.end_ns();
    from = any ? std::min(from, start) : start;
    to = any ? std::max(to, end) : end;
    any = true;
  }
  if (!any) return {0, 0};
  const std::int64_t margin = std::max<std::int64_t>(50'000'000, (to - from) / 5);
  return {std::max<std::int64_t>(0, from - margin), to + margin};
}

const char* colour(const OperationIntervals::Interval& iv) {
  if (!iv.completion) return "#ef6c00";
  switch (iv.completion->type) {
    case OpType::kOk:
      return "#2e7d32";
    case OpType::kFail:
      return "#9e9e9e";
    default:
      return "#ef6c00";
  }
}

// The processes to show: those the anomaly names first, then the busiest others in the span.
std::vector<std::int64_t> lanes_for(const OperationIntervals& ops, const Anomaly& a, Span span) {
  std::vector<std::int64_t> lanes;
  std::set<std::int64_t> chosen;
  for (std::int64_t i : a.ops) {
    const auto* iv = ops.of_index(i);
    if (iv && chosen.insert(iv->invoke->process).second) lanes.push_back(iv->invoke->process);
  }
  std::map<std::int64_t, int> busy;
  for (const auto& iv : ops.all()) {
    const std::int64_t end = iv.completion ? iv.completion->time : ops.end_ns();
    if (end >= span.from_ns && iv.invoke->time <= span.to_ns) ++busy[iv.invoke->process];
  }
  std::vector<std::pair<int, std::int64_t>> others;
  for (const auto& [p, n] : busy) {
    if (!chosen.count(p)) others.emplace_back(-n, p);
  }
  std::sort(others.begin(), others.end());
  for (const auto& [n, p] : others) {
    if (lanes.size() >= kMaxLanes) break;
    lanes.push_back(p);
  }
  return lanes;
}

}  // namespace

OperationIntervals::OperationIntervals(const std::vector<Op>& history) {
  std::unordered_map<std::int64_t, std::size_t> open;  // process -> its interval in flight
  auto note = [&](std::int64_t index, std::size_t interval) {
    if (index < 0) return;
    if (static_cast<std::size_t>(index) >= by_index_.size()) by_index_.resize(index + 1, -1);
    by_index_[index] = static_cast<std::int32_t>(interval);
  };
  for (const Op& op : history) {
    end_ns_ = std::max(end_ns_, op.time);
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      open[op.process] = intervals_.size();
      intervals_.push_back({&op, nullptr});
      note(op.index, intervals_.size() - 1);
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) continue;
    intervals_[it->second].completion = &op;
    note(op.index, it->second);
    open.erase(it);
  }
}

const OperationIntervals::Interval* OperationIntervals::of_index(std::int64_t index) const {
  if (index < 0 || static_cast<std::size_t>(index) >= by_index_.size()) return nullptr;
  const std::int32_t i = by_index_[index];
  return i < 0 ? nullptr : &intervals_[i];
}

std::string anomaly_timeline_svg(const OperationIntervals& ops,
                                 const std::vector<FaultWindow>& windows, const Anomaly& a) {
  const Span span = span_of(ops, a);
  if (span.to_ns <= span.from_ns) return {};
  const std::vector<std::int64_t> lanes = lanes_for(ops, a, span);
  if (lanes.empty()) return {};
  std::map<std::int64_t, std::size_t> lane_of;
  for (std::size_t i = 0; i < lanes.size(); ++i) lane_of[lanes[i]] = i;
  const std::set<std::int64_t> named(a.ops.begin(), a.ops.end());
  const double height = kTop + kLane * static_cast<double>(lanes.size()) + 22;
  const double scale = (kWidth - kLeft - kRight) / static_cast<double>(span.to_ns - span.from_ns);
  auto x = [&](std::int64_t ns) {
    return kLeft +
           static_cast<double>(std::clamp(ns, span.from_ns, span.to_ns) - span.from_ns) * scale;
  };
  std::string out = fmt::format(
      "<svg class=\"timeline\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "font-size=\"11\">\n",
      kWidth, height, kWidth, height);
  for (const auto& w : windows) {
    if (w.end_ns < span.from_ns || w.start_ns > span.to_ns) continue;
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#fdd835\" "
        "opacity=\"0.25\"><title>{}</title></rect>\n",
        x(w.start_ns), kTop - 14, std::max(1.0, x(w.end_ns) - x(w.start_ns)), height - kTop + 2,
        html_escape(describe(w)));
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" fill=\"#8d6e00\">{}</text>\n",
                       x(w.start_ns) + 2, kTop - 4, html_escape(w.fault));
  }
  for (std::size_t i = 0; i < lanes.size(); ++i) {
    out += fmt::format("<text x=\"4\" y=\"{:.1f}\">process {}</text>\n",
                       kTop + kLane * static_cast<double>(i) + 15, lanes[i]);
  }
  std::size_t bars = 0;
  for (const auto& iv : ops.all()) {
    const std::int64_t end = iv.completion ? iv.completion->time : ops.end_ns();
    if (end < span.from_ns || iv.invoke->time > span.to_ns) continue;
    auto lane = lane_of.find(iv.invoke->process);
    if (lane == lane_of.end()) continue;
    const bool is_named =
        named.count(iv.invoke->index) || (iv.completion && named.count(iv.completion->index));
    if (!is_named && bars >= kMaxBars) continue;
    ++bars;
    const double y = kTop + kLane * static_cast<double>(lane->second) + 3;
    const std::string title = fmt::format(
        "#{} process {} {} {} {} → {} {}", iv.invoke->index, iv.invoke->process, iv.invoke->f,
        iv.invoke->key.value_or(""), iv.invoke->value,
        iv.completion ? std::string(to_string(iv.completion->type)) : "(never completed)",
        iv.completion ? iv.completion->value + " " + iv.completion->error : "");
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"16\" fill=\"{}\"{}>"
        "<title>{}</title></rect>\n",
        x(iv.invoke->time), y, std::max(2.0, x(end) - x(iv.invoke->time)), colour(iv),
        is_named ? " stroke=\"#b71c1c\" stroke-width=\"2.5\"" : " opacity=\"0.55\"",
        html_escape(title));
    if (is_named && x(end) - x(iv.invoke->time) > 40) {
      out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#fff\">{}</text>\n",
                         x(iv.invoke->time) + 3, y + 12, html_escape(iv.invoke->f));
    }
  }
  out += fmt::format(
      "<text x=\"{}\" y=\"{:.1f}\" fill=\"#555\">{} – {} (green ok, grey fail, orange unknown; "
      "outlined: the operations this anomaly names)</text>\n",
      kLeft, height - 6, seconds_text(span.from_ns), seconds_text(span.to_ns));
  out += "</svg>\n";
  return out;
}

}  // namespace redproof
