// The fifo-queue fast path: hand-made edges, and thousands of small random histories on which
// its verdict must equal the exhaustive search's whenever it gives one.
#include <gtest/gtest.h>

#include <random>

#include "checkers/linearizability/fifo_queue_checker.hpp"
#include "checkers/linearizability/linearizability_checker.hpp"
#include "core/history_reader.hpp"

namespace redproof::linearizability {
namespace {

struct Event {
  int process;
  const char* type;
  const char* f;
  std::string value;
};

std::string jsonl(const std::vector<Event>& events) {
  std::string out;
  int i = 0;
  for (const auto& e : events) {
    out += "{\"index\":" + std::to_string(i) + ",\"time\":" + std::to_string(i) +
           ",\"process\":" + std::to_string(e.process) + ",\"type\":\"" + e.type + "\",\"f\":\"" +
           e.f + "\",\"value\":" + e.value + "}\n";
    ++i;
  }
  return out;
}

Verdict check(const std::string& text, bool fast, const std::string& init = "") {
  CheckOptions o;
  o.model = "fifo-queue";
  o.init_json = init;
  o.threads = 1;
  o.fast_paths = fast;
  o.timeout = std::chrono::seconds(20);
  return check_linearizability(parse_history(text), o).verdict;
}

TEST(FifoFastPath, AnInfoEnqueueThatIsDequeuedHappened) {
  auto h = jsonl({{0, "invoke", "enqueue", "1"},
                  {0, "info", "enqueue", "null"},
                  {1, "invoke", "dequeue", "null"},
                  {1, "ok", "dequeue", "1"}});
  EXPECT_EQ(check(h, true), Verdict::kLinearizable);
}

TEST(FifoFastPath, AValueLeftBehindIsAReorder) {
  auto h = jsonl({{0, "invoke", "enqueue", "1"},
                  {0, "ok", "enqueue", "null"},
                  {0, "invoke", "enqueue", "2"},
                  {0, "ok", "enqueue", "null"},
                  {1, "invoke", "dequeue", "null"},
                  {1, "ok", "dequeue", "2"}});
  CheckOptions o;
  o.model = "fifo-queue";
  auto r = check_linearizability(parse_history(h), o);
  ASSERT_EQ(r.verdict, Verdict::kNotLinearizable);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->stuck.result, "2");
  EXPECT_EQ(r.failure->state, "[1, ...]");
}

TEST(FifoFastPath, AnInfoDequeueMayHaveTakenTheValueLeftBehind) {
  auto h = jsonl({{0, "invoke", "enqueue", "1"},
                  {0, "ok", "enqueue", "null"},
                  {0, "invoke", "enqueue", "2"},
                  {0, "ok", "enqueue", "null"},
                  {2, "invoke", "dequeue", "null"},
                  {2, "info", "dequeue", "null"},
                  {1, "invoke", "dequeue", "null"},
                  {1, "ok", "dequeue", "2"}});
  EXPECT_EQ(check(h, true), Verdict::kLinearizable);
}

TEST(FifoFastPath, AnEmptyDequeueWhileAValueSatThereIsNot) {
  auto h = jsonl({{0, "invoke", "enqueue", "1"},
                  {0, "ok", "enqueue", "null"},
                  {1, "invoke", "dequeue", "null"},
                  {1, "ok", "dequeue", "null"}});
  EXPECT_EQ(check(h, true), Verdict::kNotLinearizable);
  EXPECT_EQ(check(h, true, "[7]"), Verdict::kNotLinearizable);
}

TEST(FifoFastPath, InitialContentsComeFirst) {
  auto h = jsonl({{0, "invoke", "enqueue", "1"},
                  {0, "ok", "enqueue", "null"},
                  {1, "invoke", "dequeue", "null"},
                  {1, "ok", "dequeue", "7"}});
  EXPECT_EQ(check(h, true, "[7]"), Verdict::kLinearizable);
}

// A random history of a real queue (each operation takes effect at a random instant inside
// its interval), optionally corrupted, with some outcomes made unknown.
std::string random_history(std::mt19937& rng, int values, bool corrupt) {
  struct Open {
    bool enqueue;
    int value;
    int result;  // dequeue: 0 empty
    bool info;
  };
  std::vector<Event> out;
  std::vector<int> queue;
  std::vector<std::optional<Open>> open(3);
  std::vector<int> process{0, 1, 2};  // a slot's process is replaced after an info
  int next = 0;
  for (int step = 0; step < 14; ++step) {
    const int p = static_cast<int>(rng() % 3);
    if (!open[p]) {
      Open o{rng() % 2 == 0, 1 + static_cast<int>(values ? rng() % values : next++), -1,
             rng() % 8 == 0};
      out.push_back({process[p], "invoke", o.enqueue ? "enqueue" : "dequeue",
                     o.enqueue ? std::to_string(o.value) : "null"});
      open[p] = o;
    } else if (open[p]->result == -1 && rng() % 2) {  // takes effect now
      if (open[p]->enqueue) {
        queue.push_back(open[p]->value);
        open[p]->result = 0;
      } else {
        open[p]->result = queue.empty() ? 0 : queue.front();
        if (!queue.empty()) queue.erase(queue.begin());
      }
    } else if (open[p]->result != -1) {  // completes
      int result = open[p]->result;
      if (corrupt && !open[p]->enqueue && rng() % 4 == 0) result = 1 + static_cast<int>(rng() % 4);
      const bool deq = !open[p]->enqueue;
      if (open[p]->info) {
        out.push_back({process[p], "info", deq ? "dequeue" : "enqueue", "null"});
        process[p] += 3;
      } else {
        out.push_back({process[p], "ok", deq ? "dequeue" : "enqueue",
                       deq && result ? std::to_string(result) : "null"});
      }
      open[p].reset();
    }
  }
  return jsonl(out);
}

void agree_with_the_search(int values, bool corrupt, unsigned seed) {
  std::mt19937 rng(seed);
  int decided = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string h = random_history(rng, values, corrupt);
    const Verdict fast = check(h, true);
    const Verdict slow = check(h, false);
    ASSERT_EQ(fast, slow) << h;
    ++decided;
  }
  EXPECT_EQ(decided, 3000);
}

TEST(FifoFastPath, AgreesWithTheSearchOnDistinctValues) {
  agree_with_the_search(0, false, 1);
}
TEST(FifoFastPath, AgreesWithTheSearchOnCorruptedDistinctValues) {
  agree_with_the_search(0, true, 2);
}
TEST(FifoFastPath, AgreesWithTheSearchOnRepeatedValues) {
  agree_with_the_search(3, true, 3);
}

}  // namespace
}  // namespace redproof::linearizability
