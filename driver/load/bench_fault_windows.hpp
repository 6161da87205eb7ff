// `bench --fault`: the periods each fault was in effect during the load (fault windows), and the
// load's latency inside each fault kind and outside every window. The nemesis opens and closes
// windows (FaultWindowLog, on its thread); the load engine records each answer's latency under
// the window open when it arrived (LoadProgress::fault_window, LoadResult::by_window); this file
// puts the two together for bench.json, the console and the report.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/latency_histogram.hpp"

namespace redproof::load {

struct LoadProgress;

struct BenchFaultWindow {
  std::string fault;   // "failover", "proxy-latency", ...
  double start_s = 0;  // seconds from the load's start
  double end_s = 0;
  // What the fault did, from its start record in the nemesis log (a failover's "from", "to" and
  // "lag_ms"; the node paused); null when the log does not say.
  nlohmann::json target;
};

// Gives each window the target of its fault's start record in `nemesis_log` (history lines, as
// nemesis.jsonl holds them), matched in order by fault name. Lines that are not start records,
// or not JSON, are passed over: the windows stand without them.
void attach_fault_targets(std::vector<BenchFaultWindow>& windows, const std::string& nemesis_log);

// Written by the nemesis thread as faults start and stop; read once the load is over. Opening a
// window also publishes its index to the load (progress->fault_window), closing it publishes -1.
class FaultWindowLog {
 public:
  explicit FaultWindowLog(LoadProgress* progress) : progress_(progress) {}
  // `at_s`: seconds from the load's start.
  void open(const std::string& fault, double at_s);
  void close(double at_s);
  std::vector<BenchFaultWindow> windows() const;

 private:
  LoadProgress* progress_;
  mutable std::mutex mu_;
  std::vector<BenchFaultWindow> windows_;
  bool open_ = false;
};

// [{"fault", "start_s", "end_s"}, ...]
nlohmann::json fault_windows_json(const std::vector<BenchFaultWindow>& windows);

// Window k's histogram is by_window[k + 1], outside every window by_window[0] (LoadResult).
// Windows of one fault are merged: {"outside": figures, "failover": figures, ...}, figures as
// latency_figures() (count, p50_ns, p99_ns, ...). With no by_window (no answer arrived while a
// window was open) everything in `all` was outside.
nlohmann::json latency_by_window_json(const std::vector<BenchFaultWindow>& windows,
                                      const std::vector<LatencyHistogram>& by_window,
                                      const LatencyHistogram& all);

// The console's "by fault window" table from latency_by_window_json's result; empty when it is
// empty.
std::string by_window_text(const nlohmann::json& latency_by_window);

}  // namespace redproof::load
