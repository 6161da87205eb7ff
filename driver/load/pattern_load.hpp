// `redproof bench --workload NAME`: a pattern workload of `run` (a lock, a register, ...) driven
// by the load engine against one server, without faults or checkers: each client is one of
// run's workers (its generator, its client, one operation in flight), on the engine's open-loop
// schedule and event loops, measured into the engine's recordings. The answer is a LoadResult,
// reported like any other bench.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "driver/load/load_engine.hpp"
#include "redis/endpoint.hpp"
#include "workloads/workload.hpp"

namespace redproof::load {

struct PatternLoadOptions {
  redis::Endpoint endpoint;
  std::string workload;
  std::string variant;  // "" = the workload's default
  std::map<std::string, std::string> params;
  int clients = 50;
  int threads = 1;
  double rate = 0;  // operations per second over all clients; 0 = closed loop
  std::chrono::nanoseconds duration = std::chrono::seconds(10);
  std::uint64_t seed = 0;
  std::chrono::nanoseconds request_timeout = std::chrono::seconds(2);
  std::string history_path;  // "" = no history kept
};

// Checks the workload, variant and knobs before anything starts; returns them. Throws
// std::invalid_argument for an unknown one, or a variant that needs several servers.
ResolvedWorkload resolve_pattern_load(const PatternLoadOptions& options);

// Runs the load and blocks until it ends (and every worker has finished what it holds, such as
// a lock's release). Throws std::invalid_argument for an unknown workload, variant or knob, or a
// variant that needs several servers; std::runtime_error when the server does not answer.
LoadResult run_pattern_load(const PatternLoadOptions& options, LoadProgress* progress = nullptr);

}  // namespace redproof::load
