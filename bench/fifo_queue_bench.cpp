// The fifo-queue model at scale: 50,000 operations over 50 queues (about 1,000 per queue) by 10
// processes, each taking effect at a random instant inside its interval (so linearizable by
// construction), 1% ending in info. Values are unique, or reused from a small set. Times
// parsing + checking, median of 3. `--search` also runs the general search alone (the fast path
// off) with a 60 s budget, for comparison.
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

int crash_percent = 1;

struct Pending {
  bool enqueue;
  int queue;
  std::string value;  // enqueue: its value; dequeue: the result once applied
  bool applied = false;
  bool crash = false;
};

void generate(const std::string& path, int ops, int queues, int processes, int distinct_values,
              std::uint64_t seed) {
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
      if (std::getenv("FIFO_CRASH_KIND") &&
          (std::getenv("FIFO_CRASH_KIND")[0] == (n.enqueue ? 'd' : 'e')))
        n.crash = false;
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
}

void measure(const char* label, const std::string& path, bool fast, std::chrono::seconds budget) {
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
  std::printf("%-44s %-18s ", label, verdict.c_str());
  const std::string suffix = " (median of " + std::to_string(runs.size()) + ", parsing included)";
  bench::print_timing("", bench::median_of(runs), suffix.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const bool search = argc > 1 && std::string(argv[1]) == "--search";
  if (const char* c = std::getenv("FIFO_CRASH_PERCENT")) crash_percent = std::atoi(c);
  const auto dir = std::filesystem::temp_directory_path();
  const std::string unique = (dir / "redproof-fifo-unique.jsonl").string();
  const std::string reused = (dir / "redproof-fifo-reused.jsonl").string();
  generate(unique, 50000, 50, 10, 0, 1);
  generate(reused, 50000, 50, 10, 5, 2);
  measure("fifo-queue 50,000 ops, 50 queues, unique", unique, true, std::chrono::seconds(60));
  measure("fifo-queue 50,000 ops, 50 queues, 5 values", reused, true, std::chrono::seconds(60));
  if (search) {
    measure("  search alone (60 s budget), unique", unique, false, std::chrono::seconds(60));
    measure("  search alone (60 s budget), 5 values", reused, false, std::chrono::seconds(60));
  }
  std::filesystem::remove(unique);
  std::filesystem::remove(reused);
  return 0;
}
