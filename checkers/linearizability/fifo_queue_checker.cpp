#include "checkers/linearizability/fifo_queue_checker.hpp"

#include <algorithm>
#include <climits>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

namespace redproof::linearizability {

namespace {

constexpr std::int64_t kNever = INT64_MAX;
constexpr std::int64_t kNone = -1;

// The history with every value made distinct: `slot` numbers the enqueues kept; each known
// dequeue of a value names the slot it takes (-1: empty).
struct Renamed {
  std::vector<FifoOperation> ops;            // the caller's, then the initial contents as enqueues
  std::vector<std::int64_t> slot_of;         // enqueue op -> slot, or -1 when dropped
  std::vector<std::int64_t> enq_of, deq_of;  // slot -> enqueue op, known dequeue op or -1
  std::vector<std::int64_t> takes;           // dequeue op -> slot, -1 empty or wildcard
  bool distinct = true;                      // no value enqueued twice
  bool fresh = false;                        // a value dequeued that nothing enqueued
  bool repeated = false;                     // distinct values, one dequeued twice
  std::size_t repeated_op = 0;
};

Renamed rename(const std::vector<FifoOperation>& given, const std::vector<std::int64_t>& init) {
  Renamed r;
  r.ops = given;
  for (std::size_t i = 0; i < init.size(); ++i) {
    const auto at = static_cast<std::int64_t>(i) - static_cast<std::int64_t>(init.size()) - 1;
    r.ops.push_back({true, true, init[i], at, at});
  }
  const std::size_t n = r.ops.size();
  std::unordered_map<std::int64_t, std::vector<std::size_t>> enqs, deqs;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& o = r.ops[i];
    if (o.enqueue) enqs[o.value].push_back(i);
    if (!o.enqueue && o.known && o.value != 0) deqs[o.value].push_back(i);
  }
  r.slot_of.assign(n, -1);
  r.takes.assign(n, -1);
  for (auto& [value, list] : enqs) {
    if (list.size() > 1) r.distinct = false;
    if (value == 0) r.fresh = true;  // an enqueued null cannot be told from empty
  }
  for (auto& [value, list] : deqs) {
    auto it = enqs.find(value);
    std::vector<std::size_t> e = it == enqs.end() ? std::vector<std::size_t>{} : it->second;
    if (list.size() > e.size()) {
      if (e.empty()) {
        r.fresh = true;
      } else if (e.size() == 1) {
        r.repeated = true;
        r.repeated_op = *std::max_element(
            list.begin(), list.end(), [&](auto a, auto b) { return r.ops[a].ret < r.ops[b].ret; });
      } else {
        r.fresh = true;  // repeated values dequeued more often than enqueued: the search says
      }
      continue;
    }
    // In order: the k-th dequeue (by return) takes the k-th enqueue (by invoke).
    std::sort(e.begin(), e.end(),
              [&](auto a, auto b) { return r.ops[a].invoke < r.ops[b].invoke; });
    std::sort(list.begin(), list.end(),
              [&](auto a, auto b) { return r.ops[a].ret < r.ops[b].ret; });
    for (std::size_t k = 0; k < list.size(); ++k) {
      r.slot_of[e[k]] = static_cast<std::int64_t>(r.enq_of.size());
      r.takes[list[k]] = static_cast<std::int64_t>(r.enq_of.size());
      r.enq_of.push_back(static_cast<std::int64_t>(e[k]));
      r.deq_of.push_back(static_cast<std::int64_t>(list[k]));
    }
  }
  // Enqueues never dequeued by a known dequeue: kept when acknowledged (they stay, or a dequeue
  // of unknown outcome took them); dropped when unknown (they may never have happened).
  for (std::size_t i = 0; i < n; ++i) {
    const auto& o = r.ops[i];
    if (!o.enqueue || r.slot_of[i] >= 0 || !o.known) continue;
    r.slot_of[i] = static_cast<std::int64_t>(r.enq_of.size());
    r.enq_of.push_back(static_cast<std::int64_t>(i));
    r.deq_of.push_back(kNone);
  }
  return r;
}

// Builds a linearization event by event (see the header). False when this greedy placement
// gets stuck, with the operation it could not place.
class Witness {
 public:
  explicit Witness(const Renamed& r)
      : r_(r), invoked_(r.ops.size(), false), placed_(r.ops.size(), false) {}

  bool run(std::size_t& stuck) {
    std::vector<std::pair<std::int64_t, std::size_t>> events;  // (position, 2 op + is_return)
    for (std::size_t i = 0; i < r_.ops.size(); ++i) {
      const auto& o = r_.ops[i];
      if (o.enqueue && r_.slot_of[i] < 0) continue;  // dropped
      events.push_back({o.invoke, 2 * i});
      if (o.ret != kNever) events.push_back({o.ret, 2 * i + 1});
    }
    std::sort(events.begin(), events.end());
    for (auto [at, e] : events) {
      const std::size_t op = e / 2;
      if (e % 2 == 0) {
        on_invoke(op);
      } else if (!placed_[op] && !force(op)) {
        stuck = op;
        return false;
      }
    }
    return true;
  }

 private:
  bool empty_dequeue(std::size_t op) const {
    const auto& o = r_.ops[op];
    return !o.enqueue && o.known && o.value == 0;
  }
  std::int64_t rank(std::size_t enq) const {
    const auto d = r_.deq_of[static_cast<std::size_t>(r_.slot_of[enq])];
    return d == kNone ? kNever : r_.ops[static_cast<std::size_t>(d)].ret;
  }

  void on_invoke(std::size_t op) {
    invoked_[op] = true;
    const auto& o = r_.ops[op];
    if (o.enqueue) {
      pending_.insert({rank(op), op});
    } else if (!o.known) {
      wildcards_.push_back(op);
    } else if (o.value == 0) {
      if (queue_.empty()) {
        placed_[op] = true;
      } else {
        empties_.push_back(op);
      }
    }
  }

  bool force(std::size_t op) {
    const auto& o = r_.ops[op];
    if (o.enqueue) return place_enqueue(op);
    if (o.value != 0) return place_dequeue(op);
    if (!drain_to_empty()) return false;
    placed_[op] = true;
    return true;
  }

  // Appends the enqueues whose values must leave earlier, then this one.
  bool place_enqueue(std::size_t op) {
    if (placed_[op]) return true;
    if (!invoked_[op]) return false;
    const std::pair<std::int64_t, std::size_t> self{rank(op), op};
    while (!pending_.empty() && *pending_.begin() < self) append(pending_.begin()->second);
    append(op);
    return true;
  }
  void append(std::size_t enq) {
    pending_.erase({rank(enq), enq});
    placed_[enq] = true;
    queue_.push_back(r_.slot_of[enq]);
  }

  bool place_dequeue(std::size_t op) {
    const auto slot = r_.takes[op];
    if (!place_enqueue(static_cast<std::size_t>(r_.enq_of[static_cast<std::size_t>(slot)]))) {
      return false;
    }
    while (queue_.front() != slot) {
      if (!remove_front()) return false;
    }
    queue_.pop_front();
    placed_[op] = true;
    after_removal();
    return true;
  }

  // The front leaves through its own dequeue, already invoked, or through a dequeue of unknown
  // outcome.
  bool remove_front() {
    const auto slot = static_cast<std::size_t>(queue_.front());
    const auto d = r_.deq_of[slot];
    if (d != kNone) {
      const auto dq = static_cast<std::size_t>(d);
      if (!invoked_[dq] || placed_[dq]) return false;
      placed_[dq] = true;
    } else {
      if (wildcards_.empty()) return false;
      placed_[wildcards_.front()] = true;
      wildcards_.pop_front();
    }
    queue_.pop_front();
    after_removal();
    return true;
  }

  bool drain_to_empty() {
    while (!queue_.empty()) {
      if (!remove_front()) return false;
    }
    return true;
  }

  void after_removal() {
    if (!queue_.empty()) return;
    for (auto e : empties_) placed_[e] = true;
    empties_.clear();
  }

  const Renamed& r_;
  std::vector<bool> invoked_, placed_;
  std::deque<std::int64_t> queue_;
  std::set<std::pair<std::int64_t, std::size_t>> pending_;  // invoked enqueues not placed
  std::deque<std::size_t> wildcards_;                       // invoked, unused
  std::vector<std::size_t> empties_;                        // empty dequeues not placed
};

// Violations certain for every placement, values distinct. A value a is certainly in the queue
// from its enqueue's return until its dequeue's invoke; never dequeued, until the first dequeue
// of unknown outcome began (it may have taken a), or for ever.
FifoDecision find_violation(const Renamed& r) {
  FifoDecision d;
  if (r.repeated) {
    d.kind = FifoDecision::Kind::kNotLinearizable;
    d.stuck = r.repeated_op;
    return d;
  }
  std::int64_t first_wildcard = kNever;
  for (const auto& o : r.ops) {
    if (!o.enqueue && !o.known) first_wildcard = std::min(first_wildcard, o.invoke);
  }
  struct Present {
    std::int64_t from, until;
    std::size_t slot;
  };
  std::vector<Present> present;
  for (std::size_t s = 0; s < r.enq_of.size(); ++s) {
    const auto& e = r.ops[static_cast<std::size_t>(r.enq_of[s])];
    if (e.ret == kNever) continue;
    const auto dq = r.deq_of[s];
    const std::int64_t until =
        dq == kNone ? first_wildcard : r.ops[static_cast<std::size_t>(dq)].invoke;
    present.push_back({e.ret, until, s});
  }
  std::sort(present.begin(), present.end(), [](auto& a, auto& b) { return a.from < b.from; });
  // Prefix maxima of `until`, with the slot reaching it.
  std::vector<std::pair<std::int64_t, std::size_t>> best(present.size());
  for (std::size_t i = 0; i < present.size(); ++i) {
    best[i] = {present[i].until, present[i].slot};
    if (i && best[i - 1].first > best[i].first) best[i] = best[i - 1];
  }
  // The value that certainly sat in the queue from before `since` until after `to`, if any.
  auto ahead = [&](std::int64_t since, std::int64_t to) -> std::int64_t {
    auto it = std::lower_bound(present.begin(), present.end(), since,
                               [](const Present& p, std::int64_t t) { return p.from < t; });
    if (it == present.begin()) return kNone;
    const auto& b = best[static_cast<std::size_t>(it - present.begin()) - 1];
    return b.first > to ? static_cast<std::int64_t>(b.second) : kNone;
  };
  for (std::size_t i = 0; i < r.ops.size(); ++i) {
    const auto& o = r.ops[i];
    if (o.enqueue || !o.known) continue;
    // Before an empty dequeue: anything present throughout it. Before a dequeue of b: anything
    // enqueued before b's enqueue began and present until after this dequeue returned.
    const std::int64_t since =
        o.value == 0
            ? o.invoke
            : r.ops[static_cast<std::size_t>(r.enq_of[static_cast<std::size_t>(r.takes[i])])]
                  .invoke;
    const std::int64_t a = ahead(since, o.ret);
    if (a == kNone) continue;
    d.kind = FifoDecision::Kind::kNotLinearizable;
    d.stuck = i;
    const auto sa = static_cast<std::size_t>(a);
    d.witnesses.push_back(static_cast<std::size_t>(r.enq_of[sa]));
    if (r.deq_of[sa] != kNone) d.witnesses.push_back(static_cast<std::size_t>(r.deq_of[sa]));
    if (o.value != 0)
      d.witnesses.push_back(
          static_cast<std::size_t>(r.enq_of[static_cast<std::size_t>(r.takes[i])]));
    d.ahead_value = r.ops[static_cast<std::size_t>(r.enq_of[sa])].value;
    return d;
  }
  return d;
}

}  // namespace

FifoDecision decide_fifo_queue(const std::vector<FifoOperation>& ops,
                               const std::vector<std::int64_t>& init) {
  FifoDecision out;
  const Renamed r = rename(ops, init);
  if (r.fresh) return out;  // the search explains it
  std::size_t stuck = 0;
  if (!r.repeated && Witness(r).run(stuck)) {
    out.kind = FifoDecision::Kind::kLinearizable;
    return out;
  }
  if (!r.distinct) return out;  // the matching was a guess: the search decides
  out = find_violation(r);
  // Witnesses among the initial contents are not history operations.
  std::erase_if(out.witnesses, [&](std::size_t w) { return w >= ops.size(); });
  if (out.kind == FifoDecision::Kind::kNotLinearizable && out.stuck >= ops.size()) {
    out.kind = FifoDecision::Kind::kUndecided;
  }
  return out;
}

}  // namespace redproof::linearizability
