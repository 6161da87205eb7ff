#include "checkers/linearizability/fifo_queue_checker.hpp"

#include <algorithm>
#include <climits>
#include <deque>
#include <functional>
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

// Repeated values: which enqueue each dequeue of a value took is a guess, made three ways (the
// witness built with any of them is a proof). 0: the k-th dequeue (by return) takes the k-th
// enqueue (by invoke); 1: the same by the enqueues' returns (unknown ones last); 2: each dequeue
// takes the earliest acknowledged enqueue invoked before it returned, else an unknown one.
void match(Renamed& r, std::vector<std::size_t> e, std::vector<std::size_t> list, int strategy) {
  auto by_invoke = [&](auto a, auto b) { return r.ops[a].invoke < r.ops[b].invoke; };
  auto by_return = [&](auto a, auto b) {
    return std::pair(r.ops[a].ret, r.ops[a].invoke) < std::pair(r.ops[b].ret, r.ops[b].invoke);
  };
  std::sort(e.begin(), e.end(),
            strategy == 1 ? std::function<bool(std::size_t, std::size_t)>(by_return)
                          : std::function<bool(std::size_t, std::size_t)>(by_invoke));
  std::sort(list.begin(), list.end(), by_return);
  std::vector<bool> used(e.size(), false);
  for (std::size_t k = 0; k < list.size(); ++k) {
    std::size_t pick = k;
    if (strategy == 2) {
      pick = e.size();
      for (int pass = 0; pass < 3 && pick == e.size(); ++pass) {
        for (std::size_t j = 0; j < e.size(); ++j) {
          const auto& o = r.ops[e[j]];
          if (used[j] || (pass == 0 && !o.known) || (pass < 2 && o.invoke > r.ops[list[k]].ret))
            continue;
          pick = j;
          break;
        }
      }
    }
    used[pick] = true;
    r.slot_of[e[pick]] = static_cast<std::int64_t>(r.enq_of.size());
    r.takes[list[k]] = static_cast<std::int64_t>(r.enq_of.size());
    r.enq_of.push_back(static_cast<std::int64_t>(e[pick]));
    r.deq_of.push_back(static_cast<std::int64_t>(list[k]));
  }
}

Renamed rename(const std::vector<FifoOperation>& given, const std::vector<std::int64_t>& init,
               int strategy) {
  Renamed r;
  r.ops = given;
  for (std::size_t i = 0; i < init.size(); ++i) {
    const auto at = static_cast<std::int64_t>(i) - static_cast<std::int64_t>(init.size()) - 1;
    r.ops.push_back({true, true, init[i], at, at});
  }
  const std::size_t n = r.ops.size();
  // Grouped by value by sorting (value, op) pairs: a hash map of vectors cost two allocations
  // per value, most of the fast path's time on a million unique ids.
  std::vector<std::pair<std::int64_t, std::size_t>> enqs, deqs;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& o = r.ops[i];
    if (o.enqueue) enqs.push_back({o.value, i});
    if (!o.enqueue && o.known && o.value != 0) deqs.push_back({o.value, i});
  }
  std::sort(enqs.begin(), enqs.end());
  std::sort(deqs.begin(), deqs.end());
  r.slot_of.assign(n, -1);
  r.takes.assign(n, -1);
  for (std::size_t i = 0; i < enqs.size(); ++i) {
    if (i && enqs[i - 1].first == enqs[i].first) r.distinct = false;
    if (enqs[i].first == 0) r.fresh = true;  // an enqueued null cannot be told from empty
  }
  auto group_end = [](const auto& pairs, std::size_t from) {
    std::size_t to = from;
    while (to < pairs.size() && pairs[to].first == pairs[from].first) ++to;
    return to;
  };
  std::size_t ei = 0;
  for (std::size_t di = 0; di < deqs.size();) {
    const std::int64_t value = deqs[di].first;
    const std::size_t dend = group_end(deqs, di);
    while (ei < enqs.size() && enqs[ei].first < value) ++ei;
    const std::size_t eend = ei < enqs.size() && enqs[ei].first == value ? group_end(enqs, ei) : ei;
    const std::size_t dequeues = dend - di, enqueues = eend - ei;
    if (dequeues > enqueues) {
      if (enqueues == 0) {
        r.fresh = true;
      } else if (enqueues == 1) {
        r.repeated = true;
        r.repeated_op = std::max_element(deqs.begin() + static_cast<std::ptrdiff_t>(di),
                                         deqs.begin() + static_cast<std::ptrdiff_t>(dend),
                                         [&](auto a, auto b) {
                                           return r.ops[a.second].ret < r.ops[b.second].ret;
                                         })
                            ->second;
      } else {
        r.fresh = true;  // repeated values dequeued more often than enqueued: the search says
      }
    } else if (dequeues == 1 && enqueues == 1) {  // what match() does with one of each
      r.slot_of[enqs[ei].second] = static_cast<std::int64_t>(r.enq_of.size());
      r.takes[deqs[di].second] = static_cast<std::int64_t>(r.enq_of.size());
      r.enq_of.push_back(static_cast<std::int64_t>(enqs[ei].second));
      r.deq_of.push_back(static_cast<std::int64_t>(deqs[di].second));
    } else {
      std::vector<std::size_t> e, list;
      for (std::size_t k = ei; k < eend; ++k) e.push_back(enqs[k].second);
      for (std::size_t k = di; k < dend; ++k) list.push_back(deqs[k].second);
      match(r, std::move(e), std::move(list), strategy);
    }
    di = dend;
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
        empty_for_open_empties();
      }
    } else {
      ++open_dequeues_;
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
  // An empty dequeue is open while the queue holds values: empty it now if the dequeues open
  // (and those of unknown outcome) can take everything in it, before an enqueue fills it more.
  void empty_for_open_empties() {
    if (empties_.empty() || queue_.size() > wildcards_.size() + open_dequeues_) return;
    std::size_t wild = 0;
    for (auto slot : queue_) {
      const auto d = r_.deq_of[static_cast<std::size_t>(slot)];
      const bool own = d != kNone && invoked_[static_cast<std::size_t>(d)] &&
                       !placed_[static_cast<std::size_t>(d)];
      if (!own && ++wild > wildcards_.size()) return;
    }
    while (!queue_.empty() && remove_front()) {
    }
  }
  void append(std::size_t enq) {
    empty_for_open_empties();
    pending_.erase({rank(enq), enq});
    placed_[enq] = true;
    queue_.push_back(r_.slot_of[enq]);
  }

  bool place_dequeue(std::size_t op) {
    const auto slot = r_.takes[op];
    // A dequeue that names no slot (a wildcard) cannot be forced here; reading enq_of[-1] was
    // out of bounds (found by UBSan).
    if (slot < 0) return false;
    if (!place_enqueue(static_cast<std::size_t>(r_.enq_of[static_cast<std::size_t>(slot)]))) {
      return false;
    }
    // Emptying the queue for an open empty dequeue may have placed this one already.
    if (placed_[op]) return true;
    while (queue_.front() != slot) {
      if (queue_.empty() || !remove_front() || queue_.empty()) return false;
    }
    queue_.pop_front();
    placed_[op] = true;
    --open_dequeues_;
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
      --open_dequeues_;
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
  std::size_t open_dequeues_ = 0;  // known dequeues of a value, invoked, not placed
};

// The witness for repeated values, by value rather than by matching: equal values are
// interchangeable in a queue, so a dequeue of v takes the front-most v, and an enqueue's place
// is set by the dequeue that will take it (the c-th unplaced dequeue of its value, c the copies
// already queued). Slower per step, but the enqueues open at once are few.
class ValueWitness {
 public:
  explicit ValueWitness(const std::vector<FifoOperation>& ops)
      : ops_(ops), invoked_(ops.size(), false), placed_(ops.size(), false) {
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (!ops[i].enqueue && ops[i].known && ops[i].value != 0) {
        unplaced_[ops[i].value].insert({ops[i].ret, i});
        --spare_[ops[i].value];
      }
      if (ops[i].enqueue) ++spare_[ops[i].value];
    }
  }

  bool run() {
    std::vector<std::pair<std::int64_t, std::size_t>> events;
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      events.push_back({ops_[i].invoke, 2 * i});
      if (ops_[i].ret != kNever) events.push_back({ops_[i].ret, 2 * i + 1});
    }
    std::sort(events.begin(), events.end());
    for (auto [at, e] : events) {
      const std::size_t op = e / 2;
      if (e % 2 == 0) {
        on_invoke(op);
      } else if (!placed_[op] && !force(op)) {
        return false;
      }
    }
    return true;
  }

 private:
  void on_invoke(std::size_t op) {
    invoked_[op] = true;
    const auto& o = ops_[op];
    if (o.enqueue) {
      pending_.push_back(op);
    } else if (!o.known) {
      wildcards_.push_back(op);
    } else if (o.value == 0) {
      if (queue_.empty()) {
        placed_[op] = true;
      } else {
        empties_.push_back(op);
        empty_for_open_empties();
      }
    } else {
      ++open_dequeues_;
    }
  }

  bool force(std::size_t op) {
    const auto& o = ops_[op];
    if (o.enqueue) return place_enqueue(op);
    if (o.value != 0) return place_dequeue(op);
    while (!queue_.empty()) {
      if (!remove_front()) return false;
    }
    placed_[op] = true;
    return true;
  }

  std::int64_t rank(std::size_t enq) {
    const auto v = ops_[enq].value;
    auto& d = unplaced_[v];
    std::int64_t c = copies_[v];
    for (auto it = d.begin(); it != d.end(); ++it) {
      if (c-- == 0) return it->first;
    }
    return kNever;
  }

  bool place_enqueue(std::size_t op) {
    if (placed_[op]) return true;
    for (;;) {
      const std::int64_t mine = rank(op);
      std::size_t best = SIZE_MAX;
      std::int64_t best_rank = mine;
      for (auto u : pending_) {
        if (u == op) continue;
        const std::int64_t r = rank(u);
        if (r < best_rank) best = u, best_rank = r;
      }
      if (best == SIZE_MAX) break;
      append(best);
    }
    append(op);
    return true;
  }
  // As in Witness: empty the queue for an open empty dequeue when what is open can take it all.
  void empty_for_open_empties() {
    if (empties_.empty() || queue_.size() > wildcards_.size() + open_dequeues_) return;
    std::unordered_map<std::int64_t, std::size_t> need;
    for (auto v : queue_) ++need[v];
    std::size_t wild = 0;
    for (auto [v, n] : need) {
      std::size_t own = 0;
      for (auto& [ret, d] : unplaced_[v]) own += invoked_[d];
      if (n > own && (n - own > static_cast<std::size_t>(std::max<std::int64_t>(spare_[v], 0)) ||
                      (wild += n - own) > wildcards_.size()))
        return;
    }
    while (!queue_.empty() && remove_front()) {
    }
  }
  void append(std::size_t enq) {
    empty_for_open_empties();
    std::erase(pending_, enq);
    placed_[enq] = true;
    queue_.push_back(ops_[enq].value);
    ++copies_[ops_[enq].value];
  }

  bool place_dequeue(std::size_t op) {
    const auto v = ops_[op].value;
    if (copies_[v] == 0) {
      std::size_t pick = SIZE_MAX;
      for (auto u : pending_) {
        if (ops_[u].value == v && (pick == SIZE_MAX || ops_[u].invoke < ops_[pick].invoke))
          pick = u;
      }
      if (pick == SIZE_MAX || !place_enqueue(pick)) return false;
    }
    if (placed_[op] || queue_.empty()) return placed_[op];
    while (queue_.front() != v) {
      if (!remove_front() || queue_.empty()) return false;
    }
    unplaced_[v].erase({ops_[op].ret, op});
    pop(op);
    return true;
  }

  bool remove_front() {
    const auto w = queue_.front();
    auto& d = unplaced_[w];
    for (auto it = d.begin(); it != d.end(); ++it) {
      if (!invoked_[it->second]) continue;
      const std::size_t dq = it->second;
      d.erase(it);
      pop(dq);
      return true;
    }
    // A dequeue of unknown outcome takes only a copy no known dequeue will need.
    if (wildcards_.empty() || spare_[w] <= 0) return false;
    --spare_[w];
    const std::size_t wc = wildcards_.front();
    wildcards_.pop_front();
    pop(wc);
    return true;
  }

  void pop(std::size_t by) {
    placed_[by] = true;
    if (ops_[by].known) --open_dequeues_;
    --copies_[queue_.front()];
    queue_.pop_front();
    if (!queue_.empty()) return;
    for (auto e : empties_) placed_[e] = true;
    empties_.clear();
  }

  const std::vector<FifoOperation>& ops_;
  std::vector<bool> invoked_, placed_;
  std::deque<std::int64_t> queue_;
  std::unordered_map<std::int64_t, std::int64_t> copies_;
  std::unordered_map<std::int64_t, std::set<std::pair<std::int64_t, std::size_t>>> unplaced_;
  std::vector<std::size_t> pending_;
  std::deque<std::size_t> wildcards_;
  std::vector<std::size_t> empties_;
  std::size_t open_dequeues_ = 0;
  // Per value: enqueues minus known dequeues, less the copies dequeues of unknown outcome took.
  std::unordered_map<std::int64_t, std::int64_t> spare_;
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

// The witnesses and patterns above; undecided when they leave it to the exhaustive search.
FifoDecision decide_by_patterns(const std::vector<FifoOperation>& ops,
                                const std::vector<std::int64_t>& init) {
  FifoDecision out;
  const Renamed r = rename(ops, init, 0);
  if (r.fresh) return out;
  std::size_t stuck = 0;
  if (!r.repeated && Witness(r).run(stuck)) {
    out.kind = FifoDecision::Kind::kLinearizable;
    return out;
  }
  if (!r.distinct && ValueWitness(r.ops).run()) {
    out.kind = FifoDecision::Kind::kLinearizable;
    return out;
  }
  for (int strategy = 1; !r.distinct && strategy < 3; ++strategy) {
    if (Witness(rename(ops, init, strategy)).run(stuck)) {
      out.kind = FifoDecision::Kind::kLinearizable;
      return out;
    }
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

}  // namespace

FifoDecision decide_fifo_queue(const std::vector<FifoOperation>& ops,
                               const std::vector<std::int64_t>& init,
                               const FifoSearchLimits& limits) {
  FifoDecision out = decide_by_patterns(ops, init);
  if (out.kind != FifoDecision::Kind::kUndecided) return out;
  // An enqueued null reads back as an empty dequeue: only the general search tells them apart.
  for (const auto& o : ops) {
    if (o.enqueue && o.value == 0) return out;
  }
  const FifoSearchResult s = search_fifo_queue(ops, init, limits);
  if (s.kind == FifoSearchResult::Kind::kGaveUp) return out;
  out.kind = s.kind == FifoSearchResult::Kind::kLinearizable ? FifoDecision::Kind::kLinearizable
                                                             : FifoDecision::Kind::kNotLinearizable;
  out.stuck = s.stuck;
  out.searched = true;
  out.contents = s.contents;
  return out;
}

}  // namespace redproof::linearizability
