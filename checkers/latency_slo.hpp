// The latency SLO checker: percentiles (p50, p90, p99, p99.9, max) of client operation latency
// from a log-linear histogram, overall and per fault window (and for the fault-free rest),
// against the thresholds a run gives with --slo ("p99<2ms", "p99.9<=10ms", "max<1s"). A breach
// makes the run invalid; with no --slo the checker only reports figures and is valid.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "checkers/checker.hpp"
#include "checkers/operation_latency.hpp"
#include "core/latency_histogram.hpp"

namespace redproof {

struct Slo {
  std::string text;        // as the user wrote it, for messages
  double percentile = 99;  // 0..100; max = 100
  std::int64_t limit_ns = 0;
  bool inclusive = false;  // "<=" rather than "<"
};

// Throws std::invalid_argument with a one-line message ("--slo p99<2: missing unit; write e.g.
// p99<2ms") on malformed input.
Slo parse_slo(std::string_view text);

// The one SLO judge, for `run` and `bench` alike: the figure the SLO names, and whether it is met.
std::int64_t slo_observed(const Slo& slo, const LatencyHistogram& histogram);
bool slo_met(const Slo& slo, std::int64_t observed);

// The latencies SLOs are judged on: ok and fail operations only. Reporters use it too, so that
// results.json, latency.hgrm and the report show the same figures the verdict was based on.
bool counts_toward_latency(const OperationLatency& op);
LatencyHistogram latency_histogram(const std::vector<OperationLatency>& ops);

class LatencySloChecker : public Checker {
 public:
  explicit LatencySloChecker(std::vector<Slo> slos) : slos_(std::move(slos)) {}
  std::string name() const override { return "latency"; }
  // details: {"overall": FIGURES, "windows": [{"fault", "start_ns", "end_ns", FIGURES}...],
  //           "fault_free": FIGURES, "slos": [{"slo", "scope", "observed_ns", "limit_ns",
  //           "met"}], "breaches": [...same, the unmet ones...]}
  // where FIGURES = {"count", "ok", "fail", "info", "p50_ns", "p90_ns", "p99_ns", "p999_ns",
  //                  "max_ns", "mean_ns"}. Only ok and fail operations count toward latency
  // (an info's latency is its time-out, not the server's answer); "count" is how many did.
  // An operation belongs to every window its [invoke, completion] overlaps, since a fault
  // anywhere in that span can have slowed it. Windows and fault_free also carry "slos":
  // [{"slo", "observed_ns", "limit_ns", "met"}], for information only: the verdict is judged on
  // the overall figures. With SLOs but no completed operation to judge, the verdict is unknown.
  CheckResult check(const std::vector<Op>& history) override;

 private:
  std::vector<Slo> slos_;
};

}  // namespace redproof
