// The operations around one anomaly, drawn as Jepsen-style lanes: one row per process, each
// operation a bar from its invoke to its completion coloured by outcome, the operations the
// anomaly names outlined, fault periods shaded. Built from the anomaly's operation indexes and
// times alone, so it works for every checker without knowing any of them.
#pragma once

#include <string>
#include <vector>

#include "checkers/anomaly.hpp"
#include "checkers/fault_windows.hpp"
#include "core/op.hpp"

namespace redproof {

// Pairs every invoke with its completion once, for drawing many anomalies of one history.
class OperationIntervals {
 public:
  struct Interval {
    const Op* invoke = nullptr;
    const Op* completion = nullptr;  // null: never completed
  };
  explicit OperationIntervals(const std::vector<Op>& history);
  const std::vector<Interval>& all() const { return intervals_; }
  // The interval an event index (invoke or completion) belongs to; null when none.
  const Interval* of_index(std::int64_t index) const;
  std::int64_t end_ns() const { return end_ns_; }

 private:
  std::vector<Interval> intervals_;
  std::vector<std::int32_t> by_index_;  // event index -> interval, -1 for none
  std::int64_t end_ns_ = 0;
};

// An inline SVG; empty when the anomaly names no operation and no period.
std::string anomaly_timeline_svg(const OperationIntervals& ops,
                                 const std::vector<FaultWindow>& windows, const Anomaly& anomaly);

}  // namespace redproof
