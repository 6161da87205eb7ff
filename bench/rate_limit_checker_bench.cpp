// Figures for the rate-limit checker (issue 16), parsing included: a generated history of
// 1,000,000 requests (2,000,000 events) over 100 identities, 8 processes in flight, 1% of them
// info, decided by a correct sliding-window limiter (10 per second), checked as each limiter
// kind would be (median of 3 runs each).
//
//   build/bench/rate_limit_checker_bench [REQUESTS]
#include <fmt/format.h>

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
#include "checkers/rate_limit_checker.hpp"
#include "core/history_reader.hpp"

using namespace redproof;
using Clock = std::chrono::steady_clock;

namespace {

// Batches of 8 concurrent requests, invoked 50 us apart, completing 400-800 us after the batch, on
// random identities; each takes effect at its invoke + 10 us and is decided there by a per-key
// sliding log.
void generate(const std::string& path, int requests, int keys, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::ofstream out(path);
  std::vector<std::deque<std::int64_t>> logs(keys);
  const std::int64_t window = 1'000'000'000, limit = 10;
  std::int64_t index = 0, time = 0, next_process = 8;
  std::vector<std::int64_t> process{0, 1, 2, 3, 4, 5, 6, 7};
  struct Done {
    std::int64_t time;
    int slot, key;
    const char* type;
    const char* value;
  };
  for (int done = 0; done < requests;) {
    std::vector<Done> ends;
    for (int slot = 0; slot < 8 && done < requests; ++slot, ++done) {
      const int key = static_cast<int>(rng() % keys);
      const std::int64_t invoke = time + slot * 50'000;
      out << fmt::format(
          "{{\"index\":{},\"time\":{},\"process\":{},\"type\":\"invoke\",\"f\":\"request\","
          "\"key\":\"rl:{{{}}}\",\"value\":null}}\n",
          index++, invoke, process[slot], key);
      auto& log = logs[key];
      const std::int64_t effect = invoke + 10'000;
      while (!log.empty() && log.front() <= effect - window) log.pop_front();
      const bool admitted = static_cast<std::int64_t>(log.size()) < limit;
      if (admitted) log.push_back(effect);
      const bool info = rng() % 100 == 0;
      ends.push_back({time + 400'000 + static_cast<std::int64_t>(rng() % 400'000), slot, key,
                      info ? "info" : "ok", info ? "null" : (admitted ? "true" : "false")});
    }
    std::sort(ends.begin(), ends.end(),
              [](const Done& a, const Done& b) { return a.time < b.time; });
    for (const Done& d : ends) {
      out << fmt::format(
          "{{\"index\":{},\"time\":{},\"process\":{},\"type\":\"{}\",\"f\":\"request\","
          "\"key\":\"rl:{{{}}}\",\"value\":{}}}\n",
          index++, d.time, process[d.slot], d.type, d.key, d.value);
      if (d.type[0] == 'i') process[d.slot] = next_process++;  // info retires the process
      time = std::max(time, d.time + 1);
    }
  }
}

bench::RunTiming median_of_3(const std::string& path, RateLimitOptions o, std::string* verdict) {
  std::vector<bench::RunTiming> runs;
  for (int i = 0; i < 3; ++i) {
    runs.push_back(bench::time_run([&] {
      const auto history = read_history_file(path);
      RateLimitChecker checker(o);
      const CheckResult r = checker.check(history);
      *verdict = fmt::format("{} ({} anomalies)", validity_name(r.valid), r.anomalies.size());
    }));
  }
  return bench::median_of(runs);
}

}  // namespace

int main(int argc, char** argv) {
  const int requests = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
  const std::string path =
      (std::filesystem::temp_directory_path() / "rate_limit_bench_history.jsonl").string();
  generate(path, requests, 100, 16);
  fmt::print("history: {} requests ({} events), {:.0f} MB\n", requests, 2 * requests,
             std::filesystem::file_size(path) / 1e6);
  {
    std::vector<bench::RunTiming> runs;
    for (int i = 0; i < 3; ++i) runs.push_back(bench::time_run([&] { read_history_file(path); }));
    const bench::RunTiming t = bench::median_of(runs);
    fmt::print(
        "{:<15} parse only    {:.3f} s wall, {:.3f} s user CPU, {:.3f} s system (median of 3)\n",
        "reading", t.wall_seconds, t.user_seconds, t.system_seconds);
  }
  const std::pair<const char*, RateLimitKind> kinds[] = {
      {"sliding window", RateLimitKind::kSlidingWindow},
      {"fixed window", RateLimitKind::kFixedWindow},
      {"token bucket", RateLimitKind::kTokenBucket}};
  for (const auto& [name, kind] : kinds) {
    RateLimitOptions o;
    o.kind = kind;
    std::string verdict;
    const bench::RunTiming t = median_of_3(path, o, &verdict);
    fmt::print(
        "{:<15} parse + check {:.3f} s wall, {:.3f} s user CPU, {:.3f} s system (median of 3): "
        "{}\n",
        name, t.wall_seconds, t.user_seconds, t.system_seconds, verdict);
  }
  std::filesystem::remove(path);
}
