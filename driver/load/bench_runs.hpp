// `bench --repeat N`: the runs of one benchmark, what they add up to (bench.json: the run with
// the median throughput, with every figure's median and spread over the runs beside it), and
// the server's figures around each run (run.json's "server").
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "driver/load/bench_fault_windows.hpp"
#include "driver/load/bench_output.hpp"
#include "driver/load/load_options.hpp"
#include "driver/load/load_result.hpp"

namespace redproof::load {

struct BenchRun {
  LoadResult result;
  std::vector<SloOutcome> slos;
  nlohmann::json server_before;  // server_info() before and after the load
  nlohmann::json server_after;
  // Several servers (replicated, sentinel, cluster): servers_info() of each, before and after.
  nlohmann::json servers_before;
  nlohmann::json servers_after;
  // `--fault`: the windows the nemesis opened (bench.json's "fault_windows" and
  // "latency_by_window" are written only when `faulted`, even if no window opened).
  bool faulted = false;
  std::vector<BenchFaultWindow> fault_windows;
  nlohmann::json topology;  // Topology::describe() of the servers the harness started
  std::string nemesis_log;  // the nemesis's events (history lines): results' nemesis.jsonl
};

struct BenchSummary {
  std::size_t shown = 0;  // the run whose series, histograms and SLOs the results show
  nlohmann::json bench;   // bench.json (and `--json`)
  nlohmann::json server;  // run.json's "server"
};

// Takes the runs by value: a trailing empty second after the load's end is dropped from each.
BenchSummary summarize_runs(const LoadOptions& options, std::vector<BenchRun> runs);

// "  over 5 runs  ops/s 98,120 (95,000–99,800)  p50 ... " lines for the console.
std::string repeat_text(const nlohmann::json& repeat);

}  // namespace redproof::load
