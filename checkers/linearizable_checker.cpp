#include "checkers/linearizable_checker.hpp"

#include <fmt/format.h>

#include "checkers/fault_windows.hpp"
#include "checkers/linearizability/linearizability_checker.hpp"
#include "checkers/unobservable_operations.hpp"

namespace redproof {

namespace {

std::string shown(const linearizability::ShownOperation& o) {
  return fmt::format("process {}'s {} {} -> {}", o.process, o.f, o.invoke_value, o.result);
}

std::int64_t time_of(const std::vector<Op>& history, std::int64_t index) {
  if (index < 0 || index >= static_cast<std::int64_t>(history.size())) return 0;
  // Indexes are positions in a history read back from disk; look the event up when they differ.
  if (history[index].index == index) return history[index].time;
  for (const Op& op : history) {
    if (op.index == index) return op.time;
  }
  return 0;
}

// The counterexample as an anomaly: the operation that cannot be placed, and those open with it.
Anomaly not_linearizable(const linearizability::KeyFailure& x, const std::vector<Op>& history) {
  Anomaly a;
  a.name = "not-linearizable";
  a.key = x.key;
  for (const auto& o : x.concurrent) a.ops.push_back(o.invoke_index);
  a.ops.push_back(x.stuck.invoke_index);
  if (x.stuck.complete_index >= 0) a.ops.push_back(x.stuck.complete_index);
  a.from_ns = time_of(history, x.stuck.invoke_index);
  a.to_ns = x.stuck.complete_index >= 0 ? time_of(history, x.stuck.complete_index) : a.from_ns;
  for (const auto& o : x.concurrent)
    a.from_ns = std::min(a.from_ns, time_of(history, o.invoke_index));
  a.magnitude = {{"linearizable_prefix", x.prefix.size()}, {"state_after_prefix", x.state}};
  a.faults = active_faults(fault_windows(history), a.from_ns, a.to_ns);
  a.sentence = fmt::format(
      "key {}: after a linearizable prefix of {} operations the state is {}, and {} cannot be "
      "placed",
      x.key, x.prefix.size(), x.state, shown(x.stuck));
  return a;
}

}  // namespace

CheckResult LinearizableChecker::check(const std::vector<Op>& history) {
  return check_events(history, nullptr);
}

CheckResult LinearizableChecker::check(const std::vector<Op>& history,
                                       const std::vector<bool>& selected) {
  return check_events(history, &selected);
}

CheckResult LinearizableChecker::check_events(const std::vector<Op>& history,
                                              const std::vector<bool>* selected) {
  linearizability::CheckOptions o;
  o.model = model_;
  o.init_json = init_;
  o.timeout = timeout_;
  // A run's own checking stays within a gigabyte: past that, unknown says more than swapping.
  o.max_memory_bytes = std::int64_t{1} << 30;
  // Unknown outcomes nobody could observe are dropped first: they can only slow the search.
  // Registers only; other models check the history itself, not a copy of it (on a million
  // operations the copy's memory cost as much as the check).
  const bool drops = model_ == "register" || model_ == "cas-register";
  UnobservableDrop kept;
  if (drops) {
    // The registers' drop works on a history: the selected events are copied for it.
    std::vector<Op> part;
    if (selected) {
      for (std::size_t i = 0; i < history.size(); ++i) {
        if ((*selected)[i]) part.push_back(history[i]);
      }
    }
    kept = drop_unobservable_operations(selected ? part : history, model_);
  }
  auto r = drops      ? linearizability::check_linearizability(kept.history, o)
           : selected ? linearizability::check_linearizability(history, *selected, o)
                      : linearizability::check_linearizability(history, o);
  CheckResult out;
  out.valid = r.verdict == linearizability::Verdict::kLinearizable      ? Validity::kValid
              : r.verdict == linearizability::Verdict::kNotLinearizable ? Validity::kInvalid
                                                                        : Validity::kUnknown;
  out.details = linearizability::to_json(r);
  out.details.erase("valid");
  out.details["model"] = model_;
  out.details["dropped_unknown_reads"] = kept.reads;
  out.details["dropped_unobserved_writes"] = kept.writes;
  if (r.failure) {
    out.html = linearizability::linearizability_html_fragment(r);
    out.anomalies.push_back(not_linearizable(*r.failure, history));
  }
  return out;
}

}  // namespace redproof
