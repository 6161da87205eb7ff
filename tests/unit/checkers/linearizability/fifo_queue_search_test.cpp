// The exact search for fifo-queue histories with repeated values: hand-made edges, and tens of
// thousands of small random histories (from a real queue, and corrupted) on which its verdict
// must equal the general search's, which decides small histories exhaustively. This is what
// shows the search raises no false alarm (and misses nothing) on every shape small enough to
// enumerate: concurrent enqueues of the same value, dequeues and enqueues of unknown outcome,
// operations that never completed, empty dequeues.
#include "checkers/linearizability/fifo_queue_search.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

#include "checkers/linearizability/fifo_queue_checker.hpp"
#include "checkers/linearizability/linearizability_checker.hpp"
#include "core/history_reader.hpp"

namespace redproof::linearizability {
namespace {

// One event of a history on one queue: value 0 is null (an empty dequeue, or no result).
struct Event {
  int process;
  const char* type;  // invoke, ok, info
  bool enqueue;
  int value;
};

std::string jsonl(const std::vector<Event>& events) {
  std::string out;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    out += "{\"index\":" + std::to_string(i) + ",\"time\":" + std::to_string(i) +
           ",\"process\":" + std::to_string(e.process) + ",\"type\":\"" + e.type + "\",\"f\":\"" +
           (e.enqueue ? "enqueue" : "dequeue") +
           "\",\"value\":" + (e.value ? std::to_string(e.value) : "null") + "}\n";
  }
  return out;
}

// The same history as the fast path sees it: an operation per invoke, its return position when
// it completed ok, unknown otherwise.
std::vector<FifoOperation> operations(const std::vector<Event>& events) {
  std::vector<FifoOperation> ops;
  std::vector<std::optional<std::size_t>> open(64);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    const auto at = static_cast<std::int64_t>(i);
    if (std::string(e.type) == "invoke") {
      ops.push_back({e.enqueue, false, e.enqueue ? e.value : 0, at, INT64_MAX});
      open[e.process] = ops.size() - 1;
      continue;
    }
    auto& o = ops[*open[e.process]];
    open[e.process].reset();
    if (std::string(e.type) != "ok") continue;
    o.known = true;
    o.ret = at;
    if (!o.enqueue) o.value = e.value;
  }
  return ops;
}

std::string init_json(const std::vector<std::int64_t>& init) {
  std::string out = "[";
  for (auto v : init) out += (out.size() > 1 ? "," : "") + std::to_string(v);
  return out + "]";
}

Verdict by_general_search(const std::vector<Event>& events,
                          const std::vector<std::int64_t>& init = {}) {
  CheckOptions o;
  o.model = "fifo-queue";
  o.init_json = init.empty() ? "" : init_json(init);
  o.threads = 1;
  o.fast_paths = false;
  o.timeout = std::chrono::seconds(60);
  o.progress = nullptr;
  return check_linearizability(parse_history(jsonl(events)), o).verdict;
}

Verdict by_this_search(const std::vector<Event>& events,
                       const std::vector<std::int64_t>& init = {}) {
  const auto r = search_fifo_queue(operations(events), init, {});
  EXPECT_NE(r.kind, FifoSearchResult::Kind::kGaveUp);
  return r.kind == FifoSearchResult::Kind::kLinearizable ? Verdict::kLinearizable
                                                         : Verdict::kNotLinearizable;
}

TEST(FifoQueueSearch, AnInfoEnqueueIsUsedWhenADequeueNeedsIt) {
  // 1 is dequeued twice: the second copy can only come from the enqueue of unknown outcome.
  const std::vector<Event> h{
      {0, "invoke", true, 1},  {0, "ok", true, 0},  {1, "invoke", true, 1},  {1, "info", true, 0},
      {2, "invoke", false, 0}, {2, "ok", false, 1}, {2, "invoke", false, 0}, {2, "ok", false, 1}};
  EXPECT_EQ(by_this_search(h), Verdict::kLinearizable);
}

TEST(FifoQueueSearch, AnInfoEnqueueNobodyNeedsIsLeftOut) {
  // Had the enqueue of unknown outcome of 2 happened before the empty dequeue, the queue would
  // not be empty: it did not (or after).
  const std::vector<Event> h{
      {1, "invoke", true, 2},  {1, "info", true, 0}, {0, "invoke", true, 1},  {0, "ok", true, 0},
      {2, "invoke", false, 0}, {2, "ok", false, 1},  {2, "invoke", false, 0}, {2, "ok", false, 0}};
  EXPECT_EQ(by_this_search(h), Verdict::kLinearizable);
}

TEST(FifoQueueSearch, AnInfoEnqueueCannotHappenBeforeItsInvoke) {
  // The second 1 is dequeued before the enqueue of unknown outcome began.
  const std::vector<Event> h{
      {0, "invoke", true, 1},  {0, "ok", true, 0},  {2, "invoke", false, 0}, {2, "ok", false, 1},
      {2, "invoke", false, 0}, {2, "ok", false, 1}, {1, "invoke", true, 1},  {1, "info", true, 0}};
  EXPECT_EQ(by_this_search(h), Verdict::kNotLinearizable);
  EXPECT_EQ(by_general_search(h), Verdict::kNotLinearizable);
}

TEST(FifoQueueSearch, AnInfoDequeueMayHaveTakenTheHead) {
  const std::vector<Event> h{
      {0, "invoke", true, 1},  {0, "ok", true, 0},    {0, "invoke", true, 2},  {0, "ok", true, 0},
      {1, "invoke", false, 0}, {1, "info", false, 0}, {2, "invoke", false, 0}, {2, "ok", false, 2},
      {2, "invoke", false, 0}, {2, "ok", false, 0}};
  EXPECT_EQ(by_this_search(h), Verdict::kLinearizable);
}

TEST(FifoQueueSearch, ConcurrentEnqueuesOfTheSameValue) {
  // Two enqueues of 1 overlap an enqueue of 2: 1, 2, 1 is one order that fits.
  const std::vector<Event> h{
      {0, "invoke", true, 1},  {1, "invoke", true, 2},  {2, "invoke", true, 1},
      {0, "ok", true, 0},      {1, "ok", true, 0},      {2, "ok", true, 0},
      {3, "invoke", false, 0}, {3, "ok", false, 1},     {3, "invoke", false, 0},
      {3, "ok", false, 2},     {3, "invoke", false, 0}, {3, "ok", false, 1}};
  EXPECT_EQ(by_this_search(h), Verdict::kLinearizable);
}

TEST(FifoQueueSearch, AnEmptyDequeueWhileARepeatedValueMustBeThere) {
  // Three 1s enqueued, two dequeued: one is still there when the queue reads empty.
  const std::vector<Event> h{
      {0, "invoke", true, 1},  {0, "ok", true, 0},  {0, "invoke", true, 1},  {0, "ok", true, 0},
      {0, "invoke", true, 1},  {0, "ok", true, 0},  {1, "invoke", false, 0}, {1, "ok", false, 1},
      {1, "invoke", false, 0}, {1, "ok", false, 1}, {1, "invoke", false, 0}, {1, "ok", false, 0}};
  EXPECT_EQ(by_this_search(h), Verdict::kNotLinearizable);
  EXPECT_EQ(by_general_search(h), Verdict::kNotLinearizable);
}

TEST(FifoQueueSearch, ARepeatedValueOutOfOrder) {
  // 1, 2, 1 enqueued one after the other; 2 cannot come out before the first 1.
  const std::vector<Event> h{
      {0, "invoke", true, 1}, {0, "ok", true, 0}, {0, "invoke", true, 2},  {0, "ok", true, 0},
      {0, "invoke", true, 1}, {0, "ok", true, 0}, {1, "invoke", false, 0}, {1, "ok", false, 2}};
  EXPECT_EQ(by_this_search(h), Verdict::kNotLinearizable);
}

// 16 concurrent enqueues acknowledged only at the end, dequeued in a scrambled order, then a
// value never enqueued: every order of the enqueues is a configuration. Past its limits the
// search says it gave up (the fast path: undecided), never a verdict.
TEST(FifoQueueSearch, GivesUpPastItsLimits) {
  std::vector<Event> h;
  for (int p = 0; p < 16; ++p) h.push_back({p, "invoke", true, p + 1});
  for (int d = 0; d < 16; ++d) {
    h.push_back({16, "invoke", false, 0});
    h.push_back({16, "ok", false, (d * 7) % 16 + 1});
  }
  h.push_back({16, "invoke", false, 0});
  h.push_back({16, "ok", false, 99});
  for (int p = 0; p < 16; ++p) h.push_back({p, "ok", true, 0});
  FifoSearchLimits few;
  few.max_configurations = 20'000;
  EXPECT_EQ(search_fifo_queue(operations(h), {}, few).kind, FifoSearchResult::Kind::kGaveUp);
  FifoSearchLimits small;
  small.max_bytes_per_return = 1 << 20;
  EXPECT_EQ(search_fifo_queue(operations(h), {}, small).kind, FifoSearchResult::Kind::kGaveUp);
  FifoSearchLimits past;
  past.deadline = std::chrono::steady_clock::now();
  EXPECT_EQ(search_fifo_queue(operations(h), {}, past).kind, FifoSearchResult::Kind::kGaveUp);
  EXPECT_EQ(decide_fifo_queue(operations(h), {}, few).kind, FifoDecision::Kind::kUndecided);
}

// A random history of a real queue on `processes` processes: each operation takes effect at a
// random instant inside its interval, some end in info (after taking effect or not), some never
// complete; `corrupt` then changes some dequeue results.
std::vector<Event> random_history(std::mt19937& rng, int processes, int values, int max_ops,
                                  bool corrupt, const std::vector<std::int64_t>& init) {
  struct Open {
    bool enqueue;
    int value;
    int result = -1;  // -1: not taken effect; dequeue: 0 empty
    bool info = false;
    bool lost = false;  // info that never took effect
  };
  std::vector<Event> out;
  std::vector<int> queue(init.begin(), init.end());
  std::vector<std::optional<Open>> open(processes);
  std::vector<int> process(processes);
  for (int p = 0; p < processes; ++p) process[p] = p;
  int started = 0;
  for (int step = 0; step < 200; ++step) {
    const int p = static_cast<int>(rng() % processes);
    auto& o = open[p];
    if (!o) {
      if (started == max_ops) continue;
      ++started;
      o = Open{rng() % 2 == 0, 1 + static_cast<int>(rng() % values)};
      o->info = rng() % 6 == 0;
      out.push_back({process[p], "invoke", o->enqueue, o->enqueue ? o->value : 0});
    } else if (o->result == -1 && rng() % 2) {
      if (o->info && rng() % 3 == 0) {
        o->lost = true;
        o->result = 0;
      } else if (o->enqueue) {
        queue.push_back(o->value);
        o->result = 0;
      } else {
        o->result = queue.empty() ? 0 : queue.front();
        if (!queue.empty()) queue.erase(queue.begin());
      }
    } else if (o->result != -1 && rng() % 4 != 0) {  // completes (or stays open for good)
      int result = o->result;
      if (corrupt && !o->enqueue && rng() % 4 == 0) result = static_cast<int>(rng() % (values + 1));
      if (o->info) {
        out.push_back({process[p], "info", o->enqueue, 0});
        process[p] += processes;
      } else {
        out.push_back({process[p], "ok", o->enqueue, o->enqueue ? 0 : result});
      }
      o.reset();
    }
  }
  return out;
}

// The whole fast path (patterns, then this search): decided, never "undecided".
Verdict by_the_fast_path(const std::vector<Event>& events,
                         const std::vector<std::int64_t>& init = {}) {
  const auto d = decide_fifo_queue(operations(events), init);
  EXPECT_NE(d.kind, FifoDecision::Kind::kUndecided);
  return d.kind == FifoDecision::Kind::kLinearizable ? Verdict::kLinearizable
                                                     : Verdict::kNotLinearizable;
}

struct Tally {
  int linearizable = 0, not_linearizable = 0;
};

// `with_init`: the queue starts with up to two values.
Tally agree(unsigned seed, int histories, int processes, int values, int max_ops, bool corrupt,
            bool with_init = false) {
  std::mt19937 rng(seed);
  Tally t;
  for (int i = 0; i < histories; ++i) {
    std::vector<std::int64_t> init;
    for (int k = with_init ? static_cast<int>(rng() % 3) : 0; k > 0; --k) {
      init.push_back(1 + static_cast<int>(rng() % values));
    }
    const auto h = random_history(rng, processes, values, max_ops, corrupt, init);
    const Verdict expected = by_general_search(h, init);
    EXPECT_NE(expected, Verdict::kUnknown);
    EXPECT_EQ(by_this_search(h, init), expected) << init_json(init) << "\n" << jsonl(h);
    EXPECT_EQ(by_the_fast_path(h, init), expected) << init_json(init) << "\n" << jsonl(h);
    if (::testing::Test::HasFailure()) return t;
    (expected == Verdict::kLinearizable ? t.linearizable : t.not_linearizable)++;
  }
  return t;
}

TEST(FifoQueueSearch, AgreesWithTheGeneralSearchOnRealQueues) {
  for (int values : {2, 3}) {
    const Tally t = agree(10 + values, 4000, 3, values, 12, false);
    // From a real queue: every one linearizable.
    EXPECT_EQ(t.not_linearizable, 0);
  }
}

TEST(FifoQueueSearch, AgreesWithTheGeneralSearchOnCorruptedQueues) {
  for (int values : {2, 3}) {
    const Tally t = agree(20 + values, 6000, 3, values, 12, true);
    // Both verdicts are exercised, many times.
    EXPECT_GT(t.linearizable, 500);
    EXPECT_GT(t.not_linearizable, 500);
  }
}

TEST(FifoQueueSearch, AgreesWithTheGeneralSearchWithInitialContents) {
  const Tally real = agree(41, 3000, 3, 2, 12, false, true);
  EXPECT_EQ(real.not_linearizable, 0);
  const Tally corrupted = agree(42, 3000, 3, 3, 12, true, true);
  EXPECT_GT(corrupted.linearizable, 200);
  EXPECT_GT(corrupted.not_linearizable, 200);
}

// Through the checker: the counterexample names the dequeue that cannot be placed and a state
// the queue could be in before it.
TEST(FifoQueueSearch, ItsCounterexampleNamesTheOperationAndAState) {
  const std::vector<Event> h{
      {0, "invoke", true, 1},  {0, "ok", true, 0},  {0, "invoke", true, 1},  {0, "ok", true, 0},
      {1, "invoke", false, 0}, {1, "ok", false, 1}, {1, "invoke", false, 0}, {1, "ok", false, 0}};
  CheckOptions o;
  o.model = "fifo-queue";
  o.threads = 1;
  o.progress = nullptr;
  const auto r = check_linearizability(parse_history(jsonl(h)), o);
  ASSERT_EQ(r.verdict, Verdict::kNotLinearizable);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->stuck.invoke_index, 6);
  EXPECT_EQ(r.failure->state, "[1]");
}

TEST(FifoQueueSearch, AgreesWithTheGeneralSearchWithFourProcesses) {
  const Tally t = agree(31, 3000, 4, 2, 12, true);
  EXPECT_GT(t.linearizable, 200);
  EXPECT_GT(t.not_linearizable, 200);
}

}  // namespace
}  // namespace redproof::linearizability
