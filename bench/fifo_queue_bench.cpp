// The fifo-queue model at scale: 50,000 operations over 50 queues (about 1,000 per queue) by 10
// processes, each taking effect at a random instant inside its interval (so linearizable by
// construction), 1% ending in info (or none). Values are unique, or reused from a small set.
// The invalid case adds a reorder at the end of queue q0: drained to empty, then x1 and x2
// enqueued one after the other and x2 dequeued first. q0 gets no dequeue of unknown outcome (one
// could have taken x1) and x1, x2 are enqueued nowhere else, so that history is not
// linearizable for every placement. Each line prints the verdict, the one expected, and the
// time (parsing + checking, median of 3); the program exits 1 when a verdict is not the one
// expected. `--search` also runs the general search alone (the fast path off) with a 60 s
// budget, for comparison.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench/run_timing.hpp"
#include "checkers/linearizability/linearizability_checker.hpp"
#include "core/history_reader.hpp"

namespace {

using namespace redproof;

struct Pending {
  bool enqueue;
  int queue;
  std::string value;  // enqueue: its value; dequeue: the result once applied
  bool applied = false;
  bool crash = false;
};

struct Shape {
  int distinct_values = 0;  // 0: unique values
  int crash_percent = 1;
  bool reorder = false;
};

// The reorder described at the top, written sequentially by a process of its own.
void append_reorder(std::ofstream& out, long& index, std::deque<std::string>& q0) {
  auto line = [&](const char* type, const char* f, const std::string& value) {
    out << "{\"index\":" << index << ",\"time\":" << index << ",\"process\":1000000"
        << ",\"type\":\"" << type << "\",\"f\":\"" << f << "\",\"key\":\"q0\",\"value\":" << value
        << "}\n";
    ++index;
  };
  for (; !q0.empty(); q0.pop_front()) {
    line("invoke", "dequeue", "null");
    line("ok", "dequeue", q0.front());
  }
  line("invoke", "dequeue", "null");
  line("ok", "dequeue", "null");
  for (const char* v : {"\"x1\"", "\"x2\""}) {
    line("invoke", "enqueue", v);
    line("ok", "enqueue", "null");
  }
  for (const char* v : {"\"x2\"", "\"x1\""}) {
    line("invoke", "dequeue", "null");
    line("ok", "dequeue", v);
  }
}

void generate(const std::string& path, int ops, int queues, int processes, Shape shape,
              std::uint64_t seed) {
  const int distinct_values = shape.distinct_values;
  const int crash_percent = shape.crash_percent;
  std::mt19937_64 rng(seed);
  std::ofstream out(path);
  std::vector<std::deque<std::string>> state(queues);
  std::vector<std::optional<Pending>> open(processes);
  std::vector<int> process(processes);
  for (int p = 0; p < processes; ++p) process[p] = p;
  long index = 0, next_value = 0;
  int started = 0;
  auto line = [&](int p, const char* type, const Pending& o, const std::string& value) {
    out << "{\"index\":" << index << ",\"time\":" << index << ",\"process\":" << process[p]
        << ",\"type\":\"" << type << "\",\"f\":\"" << (o.enqueue ? "enqueue" : "dequeue")
        << "\",\"key\":\"q" << o.queue << "\",\"value\":" << value << "}\n";
    ++index;
  };
  for (;;) {
    const int p = static_cast<int>(rng() % processes);
    auto& o = open[p];
    if (!o) {
      if (started == ops) {
        if (std::none_of(open.begin(), open.end(), [](auto& x) { return x.has_value(); })) break;
        continue;
      }
      ++started;
      Pending n{rng() % 2 == 0, static_cast<int>(rng() % queues), "null"};
      if (n.enqueue) {
        const long v = distinct_values ? static_cast<long>(rng() % distinct_values) : next_value++;
        n.value = "\"m" + std::to_string(v) + "\"";
      }
      n.crash = crash_percent > 0 && static_cast<int>(rng() % 100) < crash_percent;
      if (shape.reorder && !n.enqueue && n.queue == 0) n.crash = false;
      line(p, "invoke", n, n.enqueue ? n.value : "null");
      o = n;
    } else if (!o->applied && rng() % 2) {
      o->applied = !(o->crash && rng() % 2);  // a crashed operation may never take effect
      if (o->applied) {
        auto& q = state[o->queue];
        if (o->enqueue) {
          q.push_back(o->value);
        } else {
          o->value = q.empty() ? "null" : q.front();
          if (!q.empty()) q.pop_front();
        }
      } else {
        o->value = "null";
      }
      if (!o->applied) o->applied = true, o->crash = true;
    } else if (o->applied) {
      if (o->crash) {
        line(p, "info", *o, "null");
        process[p] += processes;
      } else {
        line(p, "ok", *o, o->enqueue ? "null" : o->value);
      }
      o.reset();
    }
  }
  if (shape.reorder) append_reorder(out, index, state[0]);
}

// Prints the verdict and time; false when the verdict is not `expected`.
bool measure(const char* label, const std::string& path, bool fast, std::chrono::seconds budget,
             const char* expected) {
  std::vector<bench::RunTiming> runs;
  std::string verdict;
  for (int run = 0; run < (fast ? 3 : 1); ++run) {
    runs.push_back(bench::time_run([&] {
      auto history = read_history_file(path);
      linearizability::CheckOptions o;
      o.model = "fifo-queue";
      o.fast_paths = fast;
      o.timeout = budget;
      auto r = linearizability::check_linearizability(history, o);
      verdict = std::string(linearizability::verdict_name(r.verdict));
    }));
  }
  const bool as_expected = verdict == expected;
  std::printf("%-52s %-16s %-20s ", label, verdict.c_str(),
              as_expected ? "(as expected)" : (std::string("(expected ") + expected + ")").c_str());
  const std::string suffix = " (median of " + std::to_string(runs.size()) + ", parsing included)";
  bench::print_timing("", bench::median_of(runs), suffix.c_str());
  return as_expected;
}

}  // namespace

int main(int argc, char** argv) {
  const bool search = argc > 1 && std::string(argv[1]) == "--search";
  const auto dir = std::filesystem::temp_directory_path();
  struct Case {
    const char* label;
    const char* file;
    Shape shape;
    std::uint64_t seed;
    const char* expected;
  };
  const std::vector<Case> cases{
      {"unique values, 1% info", "unique", {0, 1, false}, 1, "linearizable"},
      {"5 values, no info", "reused", {5, 0, false}, 2, "linearizable"},
      {"5 values, 1% info", "reused-info", {5, 1, false}, 2, "linearizable"},
      {"5 values, 1% info, a reorder at the end of q0",
       "reordered",
       {5, 1, true},
       3,
       "not-linearizable"},
  };
  bool all_expected = true;
  for (const auto& c : cases) {
    const std::string path = (dir / (std::string("redproof-fifo-") + c.file + ".jsonl")).string();
    generate(path, 50000, 50, 10, c.shape, c.seed);
    const std::string label = std::string("fifo-queue 50,000 ops, 50 queues, ") + c.label;
    all_expected &= measure(label.c_str(), path, true, std::chrono::seconds(60), c.expected);
    if (search) {
      const std::string alone = std::string("  search alone (60 s budget), ") + c.label;
      measure(alone.c_str(), path, false, std::chrono::seconds(60), c.expected);
    }
    std::filesystem::remove(path);
  }
  return all_expected ? 0 : 1;
}
