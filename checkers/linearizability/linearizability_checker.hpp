// Decides whether a history is linearizable against a model (../shared/spec/history.md, "Rules
// every checker follows"): Wing & Gong's search with Lowe's memoisation of (operations
// linearized, model state), over a linked list of call and return entries. The history is split
// per key (P-compositionality) and keys are checked in parallel; the first key found not
// linearizable stops the others. A time budget or memory cap that runs out gives `unknown`.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checkers/linearizability/search_progress.hpp"
#include "core/op.hpp"

namespace redproof::linearizability {

struct CheckOptions {
  std::string model = "cas-register";
  std::string init_json;  // empty: the model's default
  std::chrono::milliseconds timeout{60000};
  std::int64_t max_memory_bytes = std::int64_t{4} << 30;
  unsigned threads = 0;  // 0: the machine's cores
  // fifo-queue: try the O(n log n) decision (fifo_queue_checker.hpp) before the search. Off only
  // to compare the two.
  bool fast_paths = true;
  // A line of progress every `progress_every` while the search runs (null: none). By default
  // to stderr when it is a terminal or REDPROOF_PROGRESS asks (search_progress.hpp).
  ProgressSink progress = stderr_progress_if_wanted();
  std::chrono::milliseconds progress_every{2000};
};

enum class Verdict { kLinearizable, kNotLinearizable, kUnknown };

// An operation as a counterexample shows it.
struct ShownOperation {
  std::int64_t process = 0;
  std::string f;
  std::string invoke_value;
  std::string result;  // "?" when unknown
  std::int64_t invoke_index = 0;
  std::int64_t complete_index = -1;  // -1: never completed
};

struct KeyFailure {
  std::string key;
  std::vector<ShownOperation> prefix;      // the longest linearizable prefix found, in order
  bool prefix_complete = true;             // false when too long to keep
  ShownOperation stuck;                    // could not be placed after it
  std::string state;                       // the model's state after the prefix
  std::vector<ShownOperation> concurrent;  // operations still open when `stuck` returned
};

struct LinearizabilityResult {
  Verdict verdict = Verdict::kUnknown;
  std::string reason;  // for unknown: "timeout", "memory"
  std::optional<KeyFailure> failure;
  std::size_t keys = 0;
  std::size_t operations = 0;
  std::int64_t peak_memory_bytes = 0;
  double seconds = 0;
};

// Throws std::invalid_argument for an unknown model, a bad --init, or an operation that does
// not fit the model (the message names the history index).
LinearizabilityResult check_linearizability(const std::vector<Op>& history,
                                            const CheckOptions& options);
// The same over a filtered view: only the events history[i] with selected[i] (the size of the
// history). Nothing is copied, and positions and indexes stay those of the whole history: a
// checker that checks part of a million-event history pays for the part, not for a copy.
LinearizabilityResult check_linearizability(const std::vector<Op>& history,
                                            const std::vector<bool>& selected,
                                            const CheckOptions& options);

nlohmann::json to_json(const LinearizabilityResult& result);
std::string_view verdict_name(Verdict v);

// A self-contained HTML page: one lane per process, the prefix found, the failing operation
// highlighted.
std::string linearizability_html(const LinearizabilityResult& result);
// The same without the page around it: for embedding in a run's report.
std::string linearizability_html_fragment(const LinearizabilityResult& result);

}  // namespace redproof::linearizability
