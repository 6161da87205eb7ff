// The queue checkers on a 1,000,000-operation history: 10 producers and 10 consumers, every
// message enqueued, dequeued and acked (333,333 messages), some still queued at the final drain.
// Writes it to a temp file and times parsing + checking, median of 3, for `queue` and for the
// `fifo` check (the fifo-queue model's fast path over the enqueues and dequeues).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench/run_timing.hpp"
#include "checkers/queue_checker.hpp"
#include "core/history_reader.hpp"

namespace {

using namespace redproof;

void generate(const std::string& path, int operations, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::ofstream out(path);
  long index = 0, time = 0;
  auto line = [&](int p, const char* type, const char* f, const std::string& value) {
    out << "{\"index\":" << index++ << ",\"time\":" << (time += 1000) << ",\"process\":" << p
        << ",\"type\":\"" << type << "\",\"f\":\"" << f
        << "\",\"key\":\"queue:{0}\",\"value\":" << value << "}\n";
  };
  std::deque<std::string> queue;
  long next = 0;
  int ops = 0;
  while (ops < operations - 1) {
    const bool produce = queue.empty() || rng() % 3 != 0;
    if (produce) {
      const std::string id =
          "\"w" + std::to_string(rng() % 10) + "-" + std::to_string(next++) + "\"";
      const int p = static_cast<int>(rng() % 10);
      line(p, "invoke", "enqueue", id);
      line(p, "ok", "enqueue", "null");
      queue.push_back(id);
      ++ops;
    } else {
      const int p = 10 + static_cast<int>(rng() % 10);
      const std::string id = queue.front();
      queue.pop_front();
      line(p, "invoke", "dequeue", "null");
      line(p, "ok", "dequeue", id);
      line(p, "invoke", "ack", id);
      line(p, "ok", "ack", "null");
      ops += 2;
    }
  }
  std::string left = "[";
  for (const auto& id : queue) left += (left.size() > 1 ? "," : "") + id;
  line(20, "invoke", "drain", "null");
  line(20, "ok", "drain", left + "]");
}

template <class Make>
void measure(const char* label, const std::string& path, Make make) {
  std::vector<bench::RunTiming> runs;
  std::string verdict;
  for (int run = 0; run < 3; ++run) {
    runs.push_back(bench::time_run([&] {
      auto history = read_history_file(path);
      auto checker = make();
      verdict = std::string(validity_name(checker.check(history).valid));
    }));
  }
  std::printf("%-40s %-8s ", label, verdict.c_str());
  bench::print_timing("", bench::median_of(runs), " (median of 3, parsing included)");
}

}  // namespace

int main() {
  const std::string path =
      (std::filesystem::temp_directory_path() / "redproof-queue-bench.jsonl").string();
  generate(path, 1'000'000, 7);
  measure("queue, 1,000,000 ops", path, [] { return QueueChecker(QueueCheckerOptions{true}); });
  measure("fifo (reordered), 1,000,000 ops", path, [] { return QueueFifoChecker(); });
  std::filesystem::remove(path);
  return 0;
}
