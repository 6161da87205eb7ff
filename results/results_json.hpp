// results.json: {"valid": true|false|"unknown", "checkers": {NAME: {"valid": ..., details...}},
// "stats": {...}} (../shared/spec/cli.md), with "reason" when a run did not finish normally,
// "history_torn_lines" (0, or 1 for a killed run's torn last line) and "warnings" (sentences) when
// there are any. Strict JSON: no NaN or Infinity anywhere.
#pragma once

#include <nlohmann/json.hpp>

#include "results/run_record.hpp"

namespace redproof {

// "stats" is record.stats plus what the history says: "operations" ({f: {"ok", "fail", "info"}}),
// "completed" (the same summed, and "total"), "ops_per_s" (completions per second of
// "duration_s"), and "latency" (the figures the latency checker judges: ok and fail only).
nlohmann::json results_json(const RunRecord& record);

// Why the verdict is unknown, in one plain sentence: record.reason when the run itself did not
// finish normally (interrupted, a worker failed, setup failed, killed), otherwise what the
// checkers that could not decide said (a spent --check-timeout budget, a checker that failed).
// Empty when the verdict is not unknown.
std::string unknown_reason(const RunRecord& record);

// The part of unknown_reason that comes from the checkers alone: recomputed on every re-check,
// never stored as the run's own reason.
std::string undecided_checkers_reason(const RunRecord& record);

}  // namespace redproof
