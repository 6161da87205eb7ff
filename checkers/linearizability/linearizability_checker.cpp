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
#include <utility>

#include "checkers/linearizability/fifo_queue_checker.hpp"
#include "checkers/linearizability/model.hpp"
#include "checkers/linearizability/search_memo.hpp"

namespace redproof::linearizability {

namespace {

using Clock = std::chrono::steady_clock;

// One operation of one key: its invoke and completion as the history had them.
struct KeyOperation {
  const Op* invoke = nullptr;
  const Op* completion = nullptr;  // null: never completed
  std::size_t invoke_pos = 0;
  std::size_t return_pos = 0;  // SIZE_MAX for unknown outcomes: they may happen at any later time
  // The completion's type, noted while pairing, when its event is at hand: a kv history's keys
  // interleave, so reading it again per key is a cache miss per operation.
  bool known = false;   // completed ok
  bool failed = false;  // completed fail
};

struct Budget {
  Clock::time_point deadline;
  std::int64_t max_memory;
  std::atomic<bool> stop{false};
  std::atomic<int> reason{0};  // 1 timeout, 2 memory
  std::atomic<std::int64_t> memory{0};
  std::atomic<std::int64_t> peak{0};
  // For progress only: added to every 1024 search steps, never read by the search.
  std::atomic<std::int64_t> explored{0};
  std::atomic<std::size_t> keys_done{0};
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

// How the search holds and steps a key's states. A scalar model's state is one id, copied by
// value and stepped through flattened operations; other models keep a short vector.
struct ScalarStates {
  using S = std::int64_t;
  const Model& model;
  std::vector<ScalarOperation> ops;
  ScalarStates(const Model& m, const std::vector<Operation>& parsed) : model(m) {
    ops.reserve(parsed.size());
    for (const auto& op : parsed) ops.push_back(Model::flatten(op));
  }
  S init() const { return model.init()[0]; }
  bool step(const S& s, std::size_t op, S& out) const { return model.step_scalar(s, ops[op], out); }
  static std::span<const std::int64_t> words(const S& s) { return {&s, 1}; }
  std::string describe(const S& s) const { return model.describe(State{s}); }
};

struct VectorStates {
  using S = State;
  const Model& model;
  const std::vector<Operation>& ops;
  S init() const { return model.init(); }
  bool step(const S& s, std::size_t op, S& out) const {
    auto next = model.step(s, ops[op]);
    if (!next) return false;
    out = std::move(*next);
    return true;
  }
  static std::span<const std::int64_t> words(const S& s) { return {s.data(), s.size()}; }
  std::string describe(const S& s) const { return model.describe(s); }
};

enum class KeyVerdict { kOk, kIllegal, kStopped };

// Wing & Gong with Lowe's memoisation, for one key. Nothing is allocated per step: the linked
// list is arrays of 32-bit indices, the linearized set keeps its hash and window as it changes,
// and the memo stores its records in blocks (search_memo.hpp).
template <class States>
KeyVerdict search(const std::vector<KeyOperation>& ops, const States& states, Budget& budget,
                  KeyFailure* failure) {
  using S = typename States::S;
  const std::size_t n = ops.size();
  if (n == 0) return KeyVerdict::kOk;
  // Entries: 2 per operation, in history order; unknown returns after everything. An entry is
  // 2 * op for a call, 2 * op + 1 for a return.
  const std::uint32_t m = static_cast<std::uint32_t>(2 * n);
  std::vector<std::uint32_t> entry_of(m);
  {
    std::vector<std::pair<std::size_t, std::uint32_t>> order;
    order.reserve(m);
    for (std::size_t i = 0; i < n; ++i) {
      order.push_back({ops[i].invoke_pos, static_cast<std::uint32_t>(2 * i)});
      order.push_back({ops[i].return_pos, static_cast<std::uint32_t>(2 * i + 1)});
    }
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::uint32_t i = 0; i < m; ++i) entry_of[i] = order[i].second;
  }
  // Doubly linked list over entries, with a head sentinel at index m.
  constexpr std::uint32_t none = UINT32_MAX;
  const std::uint32_t head = m;
  std::vector<std::uint32_t> next(m + 1), prev(m + 1), call_of(n), ret_of(n);
  for (std::uint32_t i = 0; i < m; ++i) {
    ((entry_of[i] & 1) ? ret_of : call_of)[entry_of[i] >> 1] = i;
  }
  next[head] = 0;
  prev[0] = head;
  for (std::uint32_t i = 0; i < m; ++i) {
    next[i] = i + 1 < m ? i + 1 : none;
    if (i + 1 < m) prev[i + 1] = i;
  }
  auto unlink = [&](std::uint32_t e) {
    next[prev[e]] = next[e];
    if (next[e] != none) prev[next[e]] = prev[e];
  };
  auto relink = [&](std::uint32_t e) {
    next[prev[e]] = e;
    if (next[e] != none) prev[next[e]] = e;
  };

  LinearizedSet linearized(n);
  ConfigurationCache cache(n);
  // Memory is charged to the shared budget in slices, not per entry: the budget is one atomic
  // for every thread.
  constexpr std::int64_t kChargeSlice = 64 << 10;
  std::int64_t charged = 0, uncharged = 0;
  struct Frame {
    std::uint32_t entry;
    S state;
  };
  std::vector<Frame> stack;
  stack.reserve(std::min<std::size_t>(n, 4096));
  S state = states.init();
  S stepped{};
  std::uint32_t entry = next[head];
  std::size_t best_depth = 0;
  // The deepest stack reached, first time; its first `best_valid` operations are the stack's too.
  std::vector<std::uint32_t> best_prefix;
  std::size_t best_valid = 0;
  const bool keep_prefix = n <= 20000;
  std::uint32_t stuck_op = none;
  S stuck_state{};
  std::vector<std::uint32_t> stuck_concurrent;
  std::uint32_t steps = 0;
  std::int64_t explored = 0;  // configurations new to the memo, not yet added to the budget's
  KeyVerdict verdict = KeyVerdict::kOk;

  while (next[head] != none) {
    if ((++steps & 1023) == 0) {
      budget.explored.fetch_add(std::exchange(explored, 0), std::memory_order_relaxed);
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
    const std::uint32_t e = entry_of[entry];
    const std::uint32_t op = e >> 1;
    if (!(e & 1)) {
      bool advanced = false;
      if (states.step(state, op, stepped)) {
        linearized.set(op);
        const auto words = States::words(stepped);
        if (cache.insert(linearized, words)) {
          ++explored;
          const auto bytes = static_cast<std::int64_t>(
              ConfigurationCache::record_bytes(linearized.window().size(), words.size()));
          charged += bytes;
          uncharged += bytes;
          if (uncharged >= kChargeSlice) {
            budget.charge(uncharged);
            uncharged = 0;
            if (budget.stop.load(std::memory_order_relaxed)) {
              verdict = KeyVerdict::kStopped;
              break;
            }
          }
          stack.push_back({entry, std::move(state)});
          state = std::move(stepped);
          unlink(call_of[op]);
          unlink(ret_of[op]);
          advanced = true;
          if (stack.size() > best_depth) {
            best_depth = stack.size();
            if (keep_prefix) {
              best_prefix.resize(best_valid);
              for (std::size_t i = best_valid; i < stack.size(); ++i) {
                best_prefix.push_back(entry_of[stack[i].entry] >> 1);
              }
              best_valid = stack.size();
            }
          }
          entry = next[head];
        } else {
          linearized.clear(op);
        }
      }
      if (!advanced) entry = next[entry];
      if (entry == none) entry = next[head];  // cannot happen while a return remains
    } else {
      // A return reached before its operation was linearized: undo the last choice.
      // Remember (as indices: text is built only if the key turns out illegal) where the
      // deepest attempt got stuck.
      if (failure && stack.size() == best_depth && failure->key.empty()) {
        stuck_op = op;
        stuck_state = state;
        stuck_concurrent.clear();
        for (std::uint32_t x = next[head]; x != none; x = next[x]) {
          const std::uint32_t ex = entry_of[x];
          if (!(ex & 1) && (ex >> 1) != op) stuck_concurrent.push_back(ex >> 1);
          if (x == entry) break;
        }
      }
      if (stack.empty()) {
        verdict = KeyVerdict::kIllegal;
        break;
      }
      Frame& f = stack.back();
      const std::uint32_t undone = entry_of[f.entry] >> 1;
      state = std::move(f.state);
      stack.pop_back();
      if (best_valid > stack.size()) best_valid = stack.size();
      linearized.clear(undone);
      relink(ret_of[undone]);
      relink(call_of[undone]);
      entry = next[call_of[undone]];
      if (entry == none) entry = next[head];
    }
  }
  if (uncharged) budget.charge(uncharged);
  budget.charge(-charged);
  budget.explored.fetch_add(explored, std::memory_order_relaxed);
  if (verdict == KeyVerdict::kIllegal && failure) {
    if (stuck_op != none) {
      failure->stuck = show(ops[stuck_op]);
      failure->state = states.describe(stuck_state);
      failure->concurrent.clear();
      for (auto o : stuck_concurrent) failure->concurrent.push_back(show(ops[o]));
    }
    failure->prefix_complete = keep_prefix;
    failure->prefix.clear();
    for (auto o : best_prefix) failure->prefix.push_back(show(ops[o]));
    failure->key = "\x01";  // marked found; the caller sets the real key
  }
  return verdict;
}

// fifo-queue: the O(n log n) decision of fifo_queue_checker.hpp; false when it leaves the key to
// the search.
bool fifo_fast_path(const std::vector<KeyOperation>& kept, const std::vector<Operation>& parsed,
                    const Model& model, ValueTable& values, const Budget& budget,
                    KeyVerdict& verdict, KeyFailure& failure) {
  std::vector<FifoOperation> ops;
  ops.reserve(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const Operation& p = parsed[i];
    FifoOperation o;
    o.enqueue = p.kind == Operation::Kind::kEnqueue;
    o.known = p.known;
    o.value = o.enqueue ? p.args[0] : (p.known ? p.result[0] : 0);
    o.invoke = static_cast<std::int64_t>(kept[i].invoke_pos);
    o.ret =
        kept[i].return_pos == SIZE_MAX ? INT64_MAX : static_cast<std::int64_t>(kept[i].return_pos);
    ops.push_back(o);
  }
  const State init = model.init();
  const FifoDecision d = decide_fifo_queue(ops, std::vector<std::int64_t>(init.begin(), init.end()),
                                           {.deadline = budget.deadline, .stop = &budget.stop});
  if (d.kind == FifoDecision::Kind::kUndecided) return false;
  if (d.kind == FifoDecision::Kind::kLinearizable) {
    verdict = KeyVerdict::kOk;
    return true;
  }
  verdict = KeyVerdict::kIllegal;
  failure.stuck = show(kept[d.stuck]);
  if (d.searched) {
    // Every placement was tried: the state shown is one the queue could be in before it.
    failure.prefix_complete = false;
    failure.state = "[";
    for (auto v : d.contents) {
      failure.state += (failure.state.size() > 1 ? ", " : "") + values.text(v);
    }
    failure.state += "]";
    return true;
  }
  for (auto w : d.witnesses) failure.concurrent.push_back(show(kept[w]));
  // No prefix is searched for: the state shown is the value certainly still ahead.
  failure.prefix_complete = false;
  failure.state = d.ahead_value ? "[" + values.text(d.ahead_value) + ", ...]" : "(a value twice)";
  return true;
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

namespace {

// `selected`: null for every event, else the events to check.
LinearizabilityResult check_events(const std::vector<Op>& history,
                                   const std::vector<bool>* selected, const CheckOptions& options) {
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
  // Open operations by process: a vector for the usual small process numbers, a map beyond.
  constexpr std::size_t kNoList = SIZE_MAX;
  constexpr std::int64_t kDense = 1 << 16;
  std::vector<std::pair<std::size_t, std::size_t>> open_dense;
  std::unordered_map<std::int64_t, std::pair<std::size_t, std::size_t>> open_sparse;
  auto open_of = [&](std::int64_t process) -> std::pair<std::size_t, std::size_t>& {
    if (process >= kDense) return open_sparse.try_emplace(process, kNoList, 0).first->second;
    const auto p = static_cast<std::size_t>(process);
    if (p >= open_dense.size()) {
      open_dense.resize(std::max<std::size_t>(p + 1, 2 * open_dense.size()), {kNoList, 0});
    }
    return open_dense[p];
  };
  list_of_key.reserve(1024);
  for (std::size_t pos = 0; pos < history.size(); ++pos) {
    if (selected && !(*selected)[pos]) continue;
    const Op& op = history[pos];
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      const std::string_view key = op.key ? std::string_view(*op.key) : std::string_view();
      auto [it, added] = list_of_key.try_emplace(key, lists.size());
      if (added) lists.emplace_back();
      auto& list = lists[it->second];
      list.push_back({&op, nullptr, pos, SIZE_MAX});
      open_of(op.process) = {it->second, list.size() - 1};
      continue;
    }
    auto& open = open_of(op.process);
    if (open.first == kNoList) continue;
    KeyOperation& k = lists[open.first][open.second];
    open.first = kNoList;
    k.completion = &op;
    k.known = op.type == OpType::kOk;
    k.failed = op.type == OpType::kFail;
    if (k.known) k.return_pos = pos;
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
    std::erase_if(list, [](const KeyOperation& o) { return o.failed; });
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
        for (std::size_t j = 0; j < list.size(); ++j) {
          // The events of a key are scattered through the history: fetch ahead.
          if (j + 8 < list.size()) {
            const KeyOperation& ahead = list[j + 8];
            __builtin_prefetch(&ahead.invoke->f);
            __builtin_prefetch(&ahead.invoke->value);
            if (ahead.known) __builtin_prefetch(&ahead.completion->value);
          }
          const KeyOperation& k = list[j];
          const bool known = k.known;
          Operation op = model.parse(k.invoke->f, k.invoke->value,
                                     known ? k.completion->value : std::string_view(), known);
          // An unknown outcome that changes nothing may be dropped: it can always happen
          // without effect.
          if (!known && !model.changes_state(op)) continue;
          parsed.push_back(std::move(op));
          kept.push_back(k);
        }
        KeyFailure f;
        KeyVerdict v = KeyVerdict::kOk;
        const bool fast = kind == ModelKind::kFifoQueue && options.fast_paths &&
                          fifo_fast_path(kept, parsed, model, values, budget, v, f);
        if (!fast) {
          v = model.scalar() ? search(kept, ScalarStates(model, parsed), budget, &f)
                             : search(kept, VectorStates{model, parsed}, budget, &f);
        }
        if (v != KeyVerdict::kStopped) budget.keys_done.fetch_add(1, std::memory_order_relaxed);
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
  {
    ProgressReporter progress(options.progress, options.progress_every, [&] {
      return SearchProgress{budget.keys_done.load(std::memory_order_relaxed), keys.size(),
                            budget.explored.load(std::memory_order_relaxed),
                            std::chrono::duration<double>(Clock::now() - started).count()};
    });
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
  }
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

}  // namespace

LinearizabilityResult check_linearizability(const std::vector<Op>& history,
                                            const CheckOptions& options) {
  return check_events(history, nullptr, options);
}

LinearizabilityResult check_linearizability(const std::vector<Op>& history,
                                            const std::vector<bool>& selected,
                                            const CheckOptions& options) {
  if (selected.size() != history.size()) {
    throw std::invalid_argument("the event selection does not match the history's length");
  }
  return check_events(history, &selected, options);
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
