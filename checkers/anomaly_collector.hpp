// Collects a checker's anomalies: fills in the faults active over each one's period, counts every
// one by name, keeps the first `max_kept` of each name in detail (a broken pattern under load can
// produce hundreds of thousands; per name, so that a flood of one kind never hides another from
// results.json), and stores the lot into a CheckResult.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "checkers/anomaly.hpp"
#include "checkers/checker.hpp"
#include "checkers/fault_windows.hpp"

namespace redproof {

class AnomalyCollector {
 public:
  explicit AnomalyCollector(const std::vector<Op>& history, std::size_t max_kept = 100);

  // `a.faults` is filled from the history's fault windows over [from_ns, to_ns] when empty.
  void add(Anomaly a);
  std::int64_t count(const std::string& name) const;
  std::int64_t violations() const { return violations_; }
  // The history's fault windows, read once here for every checker that also needs them.
  const std::vector<FaultWindow>& windows() const { return windows_; }

  // Moves the anomalies into `result`, adds "anomaly_counts" to its details, and sets its
  // verdict: invalid when any violation was found, otherwise valid if the checker `decided`
  // everything it looked at, unknown if not.
  void store_into(CheckResult& result, bool decided = true);

 private:
  std::vector<FaultWindow> windows_;
  std::size_t max_kept_;
  std::vector<Anomaly> kept_;
  std::map<std::string, std::int64_t> counts_;  // every one found, by name
  std::int64_t violations_ = 0;
};

}  // namespace redproof
