#include "checkers/linearizability/linearizability_checker.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <span>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "checkers/linearizability/model.hpp"

namespace redproof::linearizability {

namespace {

using Clock = std::chrono::steady_clock;

// One operation of one key: its invoke and completion as the history had them.
struct KeyOperation {
  const Op* invoke = nullptr;
  const Op* completion = nullptr;  // null: never completed
  std::size_t invoke_pos = 0;
  std::size_t return_pos = 0;  // SIZE_MAX for unknown outcomes: they may happen at any later time
};

struct Budget {
  Clock::time_point deadline;
  std::int64_t max_memory;
  std::atomic<bool> stop{false};
  std::atomic<int> reason{0};  // 1 timeout, 2 memory
  std::atomic<std::int64_t> memory{0};
  std::atomic<std::int64_t> peak{0};
  void charge(std::int64_t bytes) {
    std::int64_t now = memory.fetch_add(bytes) + bytes;
    std::int64_t p = peak.load();
    while (now > p && !peak.compare_exchange_weak(p, now)) {
    }
    if (now > max_memory) {
      int expected = 0;
      reason.compare_exchange_strong(expected, 2);
      stop = true;
    }
  }
};

ShownOperation show(const KeyOperation& k) {
  ShownOperation s;
  s.process = k.invoke->process;
  s.f = k.invoke->f;
  s.invoke_value = k.invoke->value;
  s.invoke_index = k.invoke->index;
  if (k.completion) {
    s.complete_index = k.completion->index;
    s.result = k.completion->type == OpType::kOk ? k.completion->value : "?";
  } else {
    s.result = "?";
  }
  return s;
}

// A memoised configuration. The set of linearized operations is kept from its first word that is
// not all ones (every earlier operation is linearized) to its last non-zero word: operations are
// linearized roughly in history order, so this window stays a few words wide however long the
// history, where the whole bitset would cost n/8 bytes per entry.
struct CacheKey {
  std::size_t first_word = 0;
  std::vector<std::uint64_t> bits;
  State state;
  bool operator==(const CacheKey& o) const {
    return first_word == o.first_word && bits == o.bits && state == o.state;
  }
};

// The same configuration as views, to look up without allocating: most configurations the
// search reaches were seen before, and building a key only to drop it was most of its mallocs.
struct CacheProbe {
  std::size_t first_word = 0;
  std::span<const std::uint64_t> bits;
  const State* state = nullptr;
};

CacheProbe make_probe(const std::vector<std::uint64_t>& linearized, const State& state) {
  std::size_t lo = 0, hi = linearized.size();
  while (lo < hi && linearized[lo] == ~std::uint64_t{0}) ++lo;
  while (hi > lo && linearized[hi - 1] == 0) --hi;
  return CacheProbe{lo, std::span<const std::uint64_t>(linearized.data() + lo, hi - lo), &state};
}

CacheKey make_key(const CacheProbe& p) {
  return CacheKey{p.first_word, std::vector<std::uint64_t>(p.bits.begin(), p.bits.end()), *p.state};
}

std::uint64_t hash_configuration(std::size_t first_word, std::span<const std::uint64_t> bits,
                                 const State& state) {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ first_word;
  for (auto b : bits) h = (h ^ b) * 0x100000001b3ULL;
  for (auto s : state) h = (h ^ static_cast<std::uint64_t>(s)) * 0x100000001b3ULL;
  return h ^ (h >> 29);
}

struct CacheHash {
  using is_transparent = void;
  std::size_t operator()(const CacheKey& k) const {
    return hash_configuration(k.first_word, k.bits, k.state);
  }
  std::size_t operator()(const CacheProbe& p) const {
    return hash_configuration(p.first_word, p.bits, *p.state);
  }
};

struct CacheEqual {
  using is_transparent = void;
  bool operator()(const CacheKey& a, const CacheKey& b) const { return a == b; }
  bool operator()(const CacheProbe& p, const CacheKey& k) const {
    return p.first_word == k.first_word &&
           std::equal(p.bits.begin(), p.bits.end(), k.bits.begin(), k.bits.end()) &&
           *p.state == k.state;
  }
  bool operator()(const CacheKey& k, const CacheProbe& p) const { return (*this)(p, k); }
};

enum class KeyVerdict { kOk, kIllegal, kStopped };

// Wing & Gong with Lowe's memoisation, for one key.
KeyVerdict search(const std::vector<KeyOperation>& ops, Model& model,
                  const std::vector<Operation>& parsed, Budget& budget, KeyFailure* failure) {
  const std::size_t n = ops.size();
  if (n == 0) return KeyVerdict::kOk;
  // Entries: 2 per operation, in history order; unknown returns after everything.
  struct Entry {
    std::size_t op;
    bool call;
    std::size_t pos;
  };
  std::vector<Entry> entries;
  entries.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    entries.push_back({i, true, ops[i].invoke_pos});
    entries.push_back({i, false, ops[i].return_pos});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.pos < b.pos; });
  // Doubly linked list over entries, with a head sentinel at index m.
  const std::size_t m = entries.size();
  std::vector<std::size_t> next(m + 1), prev(m + 1), call_of(n), ret_of(n);
  for (std::size_t i = 0; i < m; ++i) (entries[i].call ? call_of : ret_of)[entries[i].op] = i;
  const std::size_t head = m, none = SIZE_MAX;
  next[head] = 0;
  prev[0] = head;
  for (std::size_t i = 0; i < m; ++i) {
    next[i] = i + 1 < m ? i + 1 : none;
    if (i + 1 < m) prev[i + 1] = i;
  }
  auto unlink = [&](std::size_t e) {
    next[prev[e]] = next[e];
    if (next[e] != none) prev[next[e]] = prev[e];
  };
  auto relink = [&](std::size_t e) {
    next[prev[e]] = e;
    if (next[e] != none) prev[next[e]] = e;
  };

  std::vector<std::uint64_t> linearized((n + 63) / 64, 0);
  std::unordered_set<CacheKey, CacheHash, CacheEqual> cache;
  std::int64_t charged = 0;
  struct Frame {
    std::size_t entry;
    State state;
  };
  std::vector<Frame> stack;
  State state = model.init();
  std::size_t entry = next[head];
  std::size_t best_depth = 0;
  std::vector<std::size_t> best_prefix;
  const bool keep_prefix = n <= 20000;
  std::size_t stuck_op = none;
  State stuck_state;
  std::vector<std::size_t> stuck_concurrent;
  std::uint64_t steps = 0;
  KeyVerdict verdict = KeyVerdict::kOk;

  while (next[head] != none) {
    if ((++steps & 1023) == 0) {
      if (budget.stop.load(std::memory_order_relaxed)) {
        verdict = KeyVerdict::kStopped;
        break;
      }
      if (Clock::now() >= budget.deadline) {
        int expected = 0;
        budget.reason.compare_exchange_strong(expected, 1);
        budget.stop = true;
        verdict = KeyVerdict::kStopped;
        break;
      }
    }
    const Entry& e = entries[entry];
    if (e.call) {
      auto stepped = model.step(state, parsed[e.op]);
      bool advanced = false;
      if (stepped) {
        linearized[e.op / 64] |= std::uint64_t{1} << (e.op % 64);
        const CacheProbe probe = make_probe(linearized, *stepped);
        const std::int64_t bytes =
            static_cast<std::int64_t>(probe.bits.size() * 8 + stepped->size() * 8 + 64);
        if (cache.find(probe) == cache.end()) {
          cache.insert(make_key(probe));
          charged += bytes;
          budget.charge(bytes);
          stack.push_back({entry, std::move(state)});
          state = std::move(*stepped);
          unlink(call_of[e.op]);
          unlink(ret_of[e.op]);
          advanced = true;
          if (stack.size() > best_depth) {
            best_depth = stack.size();
            if (keep_prefix) {
              best_prefix.clear();
              for (const auto& f : stack) best_prefix.push_back(entries[f.entry].op);
            }
          }
          entry = next[head];
        } else {
          linearized[e.op / 64] &= ~(std::uint64_t{1} << (e.op % 64));
        }
      }
      if (!advanced) entry = next[entry];
      if (entry == none) entry = next[head];  // cannot happen while a return remains
    } else {
      // A return reached before its operation was linearized: undo the last choice.
      // Remember (as indices: text is built only if the key turns out illegal) where the
      // deepest attempt got stuck.
      if (failure && stack.size() == best_depth && failure->key.empty()) {
        stuck_op = e.op;
        stuck_state = state;
        stuck_concurrent.clear();
        for (std::size_t x = next[head]; x != none; x = next[x]) {
          if (entries[x].call && entries[x].op != e.op) stuck_concurrent.push_back(entries[x].op);
          if (x == entry) break;
        }
      }
      if (stack.empty()) {
        verdict = KeyVerdict::kIllegal;
        break;
      }
      Frame f = std::move(stack.back());
      stack.pop_back();
      const std::size_t op = entries[f.entry].op;
      state = std::move(f.state);
      linearized[op / 64] &= ~(std::uint64_t{1} << (op % 64));
      relink(ret_of[op]);
      relink(call_of[op]);
      entry = next[f.entry];
      if (entry == none) entry = next[head];
    }
  }
  budget.charge(-charged);
  if (verdict == KeyVerdict::kIllegal && failure) {
    if (stuck_op != none) {
      failure->stuck = show(ops[stuck_op]);
      failure->state = model.describe(stuck_state);
      failure->concurrent.clear();
      for (auto op : stuck_concurrent) failure->concurrent.push_back(show(ops[op]));
    }
    failure->prefix_complete = keep_prefix;
    failure->prefix.clear();
    for (auto op : best_prefix) failure->prefix.push_back(show(ops[op]));
    failure->key = "\x01";  // marked found; the caller sets the real key
  }
  return verdict;
}

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kLinearizable:
      return "linearizable";
    case Verdict::kNotLinearizable:
      return "not-linearizable";
    case Verdict::kUnknown:
      return "unknown";
  }
  return "unknown";
}

LinearizabilityResult check_linearizability(const std::vector<Op>& history,
                                            const CheckOptions& options) {
  const auto started = Clock::now();
  const ModelKind kind = parse_model(options.model);
  {
    ValueTable probe;
    Model check_init(kind, options.init_json, probe);  // a bad --init fails before any work
  }

  // Pair invokes with completions, per key. Keys are views into the history (no copies), and
  // open operations are found by process: on large histories this pairing is a good part of
  // the checking time.
  std::vector<std::vector<KeyOperation>> lists;
  std::unordered_map<std::string_view, std::size_t> list_of_key;
  std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> open;
  list_of_key.reserve(1024);
  for (std::size_t pos = 0; pos < history.size(); ++pos) {
    const Op& op = history[pos];
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      const std::string_view key = op.key ? std::string_view(*op.key) : std::string_view();
      auto [it, added] = list_of_key.try_emplace(key, lists.size());
      if (added) lists.emplace_back();
      auto& list = lists[it->second];
      list.push_back({&op, nullptr, pos, SIZE_MAX});
      open[op.process] = {it->second, list.size() - 1};
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) continue;
    KeyOperation& k = lists[it->second.first][it->second.second];
    open.erase(it);
    k.completion = &op;
    if (op.type == OpType::kOk) k.return_pos = pos;
  }

  LinearizabilityResult result;
  result.keys = lists.size();
  // In key order, so that runs over the same history report the same key.
  std::vector<std::pair<std::string_view, std::size_t>> ordered(list_of_key.begin(),
                                                                list_of_key.end());
  std::sort(ordered.begin(), ordered.end());
  std::vector<std::pair<const std::string_view*, std::vector<KeyOperation>*>> keys;
  for (auto& [k, index] : ordered) {
    auto& list = lists[index];
    // fail: it did not happen.
    std::erase_if(list, [](const KeyOperation& o) {
      return o.completion && o.completion->type == OpType::kFail;
    });
    result.operations += list.size();
    keys.push_back({&k, &list});
  }

  Budget budget;
  budget.deadline = started + options.timeout;
  budget.max_memory = options.max_memory_bytes;
  std::atomic<std::size_t> next_key{0};
  std::mutex mu;
  std::optional<KeyFailure> failure;
  std::string parse_error;
  auto worker = [&] {
    for (;;) {
      const std::size_t i = next_key.fetch_add(1);
      if (i >= keys.size() || budget.stop) return;
      auto& list = *keys[i].second;
      ValueTable values;
      std::vector<Operation> parsed;
      std::vector<KeyOperation> kept;
      try {
        Model model(kind, options.init_json, values);
        for (const auto& k : list) {
          const bool known = k.completion && k.completion->type == OpType::kOk;
          Operation op = model.parse(k.invoke->f, k.invoke->value,
                                     known ? k.completion->value : std::string_view(), known);
          // An unknown outcome that changes nothing may be dropped: it can always happen
          // without effect.
          if (!known && !model.changes_state(op)) continue;
          parsed.push_back(std::move(op));
          kept.push_back(k);
        }
        KeyFailure f;
        KeyVerdict v = search(kept, model, parsed, budget, &f);
        if (v == KeyVerdict::kIllegal) {
          std::lock_guard lock(mu);
          if (!failure) {
            f.key = std::string(*keys[i].first);
            failure = std::move(f);
          }
          budget.stop = true;  // one illegal key decides the history
          return;
        }
      } catch (const std::invalid_argument& e) {
        std::lock_guard lock(mu);
        if (parse_error.empty()) {
          parse_error = std::string(e.what());
          // Name the first operation of the key so the user can find it.
          if (!list.empty()) {
            parse_error += " (key \"" + std::string(*keys[i].first) + "\")";
          }
        }
        budget.stop = true;
        return;
      }
    }
  };
  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(keys.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (!parse_error.empty()) throw std::invalid_argument(parse_error);

  if (failure) {
    result.verdict = Verdict::kNotLinearizable;
    result.failure = std::move(failure);
  } else if (budget.stop) {
    result.verdict = Verdict::kUnknown;
    result.reason = budget.reason == 2 ? "memory" : "timeout";
  } else {
    result.verdict = Verdict::kLinearizable;
  }
  result.peak_memory_bytes = budget.peak;
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return result;
}

namespace {

nlohmann::json op_json(const ShownOperation& s) {
  auto value = [](const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(text) : j;
  };
  return {{"process", s.process},
          {"f", s.f},
          {"value", value(s.invoke_value)},
          {"result", s.result == "?" ? nlohmann::json("unknown") : value(s.result)},
          {"invoke_index", s.invoke_index},
          {"complete_index", s.complete_index}};
}

}  // namespace

nlohmann::json to_json(const LinearizabilityResult& r) {
  nlohmann::json j = {
      {"valid", r.verdict == Verdict::kLinearizable      ? nlohmann::json(true)
                : r.verdict == Verdict::kNotLinearizable ? nlohmann::json(false)
                                                         : nlohmann::json("unknown")},
      {"verdict", verdict_name(r.verdict)},
      {"keys", r.keys},
      {"operations", r.operations},
      {"seconds", r.seconds},
      {"peak_search_memory_bytes", r.peak_memory_bytes}};
  if (!r.reason.empty()) j["reason"] = r.reason;
  if (r.failure) {
    const KeyFailure& f = *r.failure;
    nlohmann::json prefix = nlohmann::json::array();
    for (const auto& p : f.prefix) prefix.push_back(op_json(p));
    nlohmann::json concurrent = nlohmann::json::array();
    for (const auto& c : f.concurrent) concurrent.push_back(op_json(c));
    j["counterexample"] = {{"key", f.key},
                           {"linearizable_prefix", prefix},
                           {"prefix_complete", f.prefix_complete},
                           {"state_after_prefix", f.state},
                           {"could_not_place", op_json(f.stuck)},
                           {"concurrent_operations", concurrent}};
  }
  return j;
}

}  // namespace redproof::linearizability
