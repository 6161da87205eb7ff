// results.json: {"valid": true|false|"unknown", "checkers": {NAME: {"valid": ..., details...}},
// "stats": {...}} (../shared/spec/cli.md). Strict JSON: no NaN or Infinity anywhere.
#pragma once

#include <nlohmann/json.hpp>

#include "results/run_record.hpp"

namespace redproof {

// "stats" is record.stats plus what the history says: "operations" ({f: {"ok", "fail", "info"}}),
// "completed" (the same summed, and "total"), "ops_per_s" (completions per second of
// "duration_s"), and "latency" (the figures the latency checker judges: ok and fail only).
nlohmann::json results_json(const RunRecord& record);

}  // namespace redproof
