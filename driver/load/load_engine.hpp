// The load engine every run and `redproof bench` use: connections × threads (one event loop per
// thread), pipelining with one latency per request, open loop at a target rate with latency
// measured from each request's intended start (coordinated omission corrected; the uncorrected
// figure is kept beside it) or closed loop, request time-outs, reconnection with back-off, and a
// run that ends on time whatever the server does.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "driver/load/load_options.hpp"
#include "driver/load/load_result.hpp"

namespace redproof::load {

// Live counters, readable from another thread while the load runs (for a progress line).
struct LoadProgress {
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> errors{0};  // error replies + time-outs + connection errors
  std::atomic<bool> stop{false};         // set to end the run early (Ctrl-C)
  // Set by `bench --fault`'s nemesis: the index of the fault window now open, -1 between
  // windows. Each answered request's latency is also recorded under the window open when its
  // answer arrived (LoadResult::by_window).
  std::atomic<int> fault_window{-1};
};

// Runs the load and blocks until it ends. Throws std::invalid_argument for unusable options.
LoadResult run_load(const LoadOptions& options, LoadProgress* progress = nullptr);

}  // namespace redproof::load
