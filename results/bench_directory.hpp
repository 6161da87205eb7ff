// Writing and reading a benchmark's results directory (results/bench_record.hpp). Everything
// here runs after the load, from figures already aggregated: nothing is on the request path.
#pragma once

#include <optional>
#include <string>

#include "results/bench_record.hpp"

namespace redproof {

// Whether `dir` is a benchmark's results directory (it has bench.json).
bool is_bench_directory(const std::string& dir);

// Throws std::runtime_error with one line naming the file at fault. `dir` may also be a results
// root, whose `latest` is then read; record.directory is the directory's canonical path (so a
// baseline named as results/latest stays the same run when `latest` moves on).
BenchRecord read_bench_directory(const std::string& dir);

// The per-second CSV: second,throughput,errors,p50_ms,p90_ms,p99_ms,p99.9_ms,max_ms (errors:
// error replies, time-outs and connection errors in that second), and with --fault a last
// column, fault: the faults open during that second ("+" between two), empty when none was.
std::string seconds_csv(const nlohmann::json& bench);

// Writes run.json, bench.json, latency.hgrm, latency-uncorrected.hgrm, seconds.csv and
// report.html into record.directory.
void write_bench_directory(const BenchRecord& record, const std::string& uncorrected_hgrm,
                           const BenchBaseline* baseline);

// (Re)writes report.html, comparing with the baseline run.json names (when it is still there).
void write_bench_report(const BenchRecord& record);

}  // namespace redproof
