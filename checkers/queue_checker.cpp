#include "checkers/queue_checker.hpp"

#include <fmt/format.h>
#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <deque>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "checkers/anomaly_collector.hpp"
#include "checkers/linearizable_checker.hpp"

namespace redproof {

namespace {

constexpr std::int64_t kUnset = -1;

// A message id from its JSON text: the usual plain string without a copy, anything else parsed.
std::string_view id_of(const std::string& text, std::string& scratch) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"' &&
      text.find('\\') == std::string::npos) {
    return std::string_view(text).substr(1, text.size() - 2);
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || j.is_null()) return {};
  scratch = j.is_string() ? j.get<std::string>() : j.dump();
  return scratch;
}

enum class Outcome : std::uint8_t { kNone, kUnknown, kOk, kFail };

struct Message {
  std::string_view queue;
  Outcome enqueued = Outcome::kNone;
  std::int64_t enq_invoke = kUnset, enq_done = kUnset;  // history indexes
  std::int64_t enq_invoke_ns = 0;
  std::int64_t first_seen_ns = kUnset;  // first completion that showed it (dequeue, ack, drain)
  std::int64_t seen_index = kUnset;
  std::int32_t dequeued = 0, acks = 0;
  bool ack_maybe = false, drained = false;
  std::int64_t first_ack_ns = kUnset, first_ack_index = kUnset, last_ack_index = kUnset;
};

struct Scan {
  // Open addressing, not a node per message: looking ids up was a quarter of checking.
  boost::unordered_flat_map<std::string_view, Message> messages;
  std::unordered_set<std::string_view> drained_queues;
  std::int64_t drain_ns = 0;
  std::deque<std::string> owned;  // ids that were not plain strings in the history
};

void seen(Message& m, const Op& completion) {
  if (m.first_seen_ns == kUnset) {
    m.first_seen_ns = completion.time;
    m.seen_index = completion.index;
  }
}

void record_drain(Scan& s, const Op& invoke, const Op& done) {
  auto j = nlohmann::json::parse(done.value, nullptr, false);
  if (!j.is_array()) return;
  s.drained_queues.insert(invoke.key ? std::string_view(*invoke.key) : std::string_view());
  s.drain_ns = std::max(s.drain_ns, done.time);
  for (const auto& e : j) {
    s.owned.push_back(e.is_string() ? e.get<std::string>() : e.dump());
    Message& m = s.messages[s.owned.back()];
    m.drained = true;
    seen(m, done);
  }
}

void record(Scan& s, const Op& invoke, const Op& done) {
  std::string scratch;
  if (invoke.f == "drain") {
    if (done.type == OpType::kOk) record_drain(s, invoke, done);
    return;
  }
  const bool dequeue = invoke.f == "dequeue";
  if (dequeue && done.type != OpType::kOk) return;
  std::string_view id = id_of(dequeue ? done.value : invoke.value, scratch);
  if (id.empty()) return;
  if (!scratch.empty()) {
    s.owned.push_back(scratch);
    id = s.owned.back();
  }
  Message& m = s.messages[id];
  if (invoke.f == "enqueue") {
    m.queue = invoke.key ? std::string_view(*invoke.key) : std::string_view();
    m.enq_invoke = invoke.index;
    m.enq_invoke_ns = invoke.time;
    m.enq_done = done.index;
    m.enqueued = done.type == OpType::kOk     ? Outcome::kOk
                 : done.type == OpType::kFail ? Outcome::kFail
                                              : Outcome::kUnknown;
  } else if (dequeue) {
    ++m.dequeued;
    seen(m, done);
  } else if (invoke.f == "ack") {
    if (done.type == OpType::kOk) {
      if (m.acks++ == 0) {
        m.first_ack_ns = done.time;
        m.first_ack_index = done.index;
      }
      m.last_ack_index = done.index;
      seen(m, done);
    } else if (done.type == OpType::kInfo) {
      m.ack_maybe = true;
    }
  }
}

// Pairs each invoke with its completion (an invoke never completed counts as info).
Scan scan(const std::vector<Op>& history) {
  Scan s;
  s.messages.reserve(history.size() / 3 + 16);
  boost::unordered_flat_map<std::int64_t, const Op*> open;  // process -> its open invoke
  for (const Op& op : history) {
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      open[op.process] = &op;
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end() || !it->second) continue;
    record(s, *it->second, op);
    it->second = nullptr;
  }
  for (auto& [process, invoke] : open) {
    if (!invoke) continue;
    Op never = *invoke;
    never.type = OpType::kInfo;
    never.index = invoke->index;
    never.time = invoke->time;
    record(s, *invoke, never);
  }
  return s;
}

bool lost(const Scan& s, const Message& m) {
  return m.enqueued == Outcome::kOk && m.acks == 0 && !m.ack_maybe && !m.drained &&
         s.drained_queues.contains(m.queue);
}

// An id seen although its enqueue was never invoked, or invoked only after it was seen.
bool unexpected(const Message& m) {
  if (m.first_seen_ns == kUnset) return false;
  return m.enq_invoke == kUnset || m.enq_invoke_ns > m.first_seen_ns;
}

Anomaly finding(std::string name, std::string_view id, const Message& m) {
  Anomaly a;
  a.name = std::move(name);
  a.key = std::string(m.queue);
  if (m.enq_invoke != kUnset) a.ops.push_back(m.enq_invoke);
  if (m.enq_done != kUnset && m.enq_done != m.enq_invoke) a.ops.push_back(m.enq_done);
  a.from_ns = m.enq_invoke != kUnset ? m.enq_invoke_ns : m.first_seen_ns;
  a.to_ns = std::max(a.from_ns, m.first_seen_ns);
  a.magnitude = {{"id", std::string(id)}};
  return a;
}

void report(const Scan& s, const Message& m, std::string_view id, bool at_most_once,
            AnomalyCollector& out) {
  if (lost(s, m)) {
    Anomaly a = finding("lost", id, m);
    a.to_ns = std::max(a.to_ns, s.drain_ns);
    a.sentence = fmt::format(
        "message {} was acknowledged to its producer, never acknowledged by a consumer and not "
        "left in the queue at the end",
        id);
    out.add(std::move(a));
  }
  if (m.acks > 1) {
    Anomaly a = finding("duplicated", id, m);
    a.ops.push_back(m.first_ack_index);
    a.ops.push_back(m.last_ack_index);
    a.magnitude["acks"] = m.acks;
    a.violation = at_most_once;
    a.sentence = fmt::format("message {} was processed {} times{}", id, m.acks,
                             at_most_once ? "" : " (expected: this variant redelivers)");
    out.add(std::move(a));
  }
  if (unexpected(m)) {
    Anomaly a = finding("unexpected", id, m);
    a.ops.push_back(m.seen_index);
    a.sentence = fmt::format("message {} was delivered but no enqueue of it had begun", id);
    out.add(std::move(a));
  }
}

double percentile(std::vector<std::int64_t>& v, double p) {
  if (v.empty()) return 0;
  const auto at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(at), v.end());
  return static_cast<double>(v[at]) / 1e6;
}

}  // namespace

CheckResult QueueChecker::check(const std::vector<Op>& history) {
  const Scan s = scan(history);
  AnomalyCollector anomalies(history);
  std::int64_t enq_ok = 0, enq_unknown = 0, acked = 0, recovered = 0, duplicated = 0,
               redelivered = 0, drained = 0, lost_count = 0;
  std::vector<std::int64_t> latency;
  for (const auto& [id, m] : s.messages) {
    enq_ok += m.enqueued == Outcome::kOk;
    enq_unknown += m.enqueued == Outcome::kUnknown;
    acked += m.acks > 0;
    duplicated += m.acks > 1;
    redelivered += m.dequeued > 1;
    drained += m.drained;
    lost_count += lost(s, m);
    if (m.enqueued == Outcome::kUnknown && m.first_seen_ns != kUnset) ++recovered;
    if (m.first_ack_ns != kUnset && m.enq_invoke != kUnset)
      latency.push_back(m.first_ack_ns - m.enq_invoke_ns);
    report(s, m, id, options_.at_most_once, anomalies);
  }
  CheckResult r;
  r.details = {{"enqueued_ok", enq_ok},
               {"enqueue_unknown", enq_unknown},
               {"acked", acked},
               {"lost", lost_count},
               {"duplicated", duplicated},
               {"redelivered", redelivered},
               {"recovered", recovered},
               {"drained", drained},
               {"drained_queues", s.drained_queues.size()}};
  r.details["latency_ms"] = {{"count", latency.size()},
                             {"p50", percentile(latency, 0.5)},
                             {"p99", percentile(latency, 0.99)},
                             {"max", percentile(latency, 1.0)}};
  const bool decided = !s.drained_queues.empty();
  if (!decided) r.details["reason"] = "no drain completed: lost messages cannot be told";
  anomalies.store_into(r, decided);
  return r;
}

CheckResult QueueFifoChecker::check(const std::vector<Op>& history) {
  // The delivered messages' enqueues and dequeues: a lost message is `lost`, not `reordered`.
  // They are checked in place, selected rather than copied: on a million operations the copy
  // cost as much as the check.
  const Scan s = scan(history);
  std::vector<bool> selected(history.size(), false);
  boost::unordered_flat_map<std::int64_t, bool> keep_open;  // process -> its open invoke is kept
  std::string scratch;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (op.is_nemesis()) {
      selected[i] = true;
      continue;
    }
    if (op.is_invoke()) {
      bool keep = op.f == "dequeue";
      if (op.f == "enqueue") {
        auto it = s.messages.find(id_of(op.value, scratch));
        // A lost message no dequeue returned is left out (it may have vanished anywhere).
        keep = it != s.messages.end() && (it->second.dequeued > 0 || !lost(s, it->second));
      }
      keep_open[op.process] = keep;
    }
    selected[i] = keep_open[op.process];
  }
  LinearizableChecker fifo("fifo-queue", {}, timeout_);
  CheckResult r = fifo.check(history, selected);
  for (Anomaly& a : r.anomalies) {
    a.name = "reordered";
    a.sentence = "the queue did not behave as one FIFO queue: " + a.sentence;
  }
  r.details.erase("counterexample");
  return r;
}

}  // namespace redproof
