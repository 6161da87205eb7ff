// The cache checkers' speed: generates a 1,000,000-operation cache history (reads, writes,
// write-behind flushes over a zipf-ish key set, 8 processes at a time, stale-free by
// construction), writes it to a temp file, and times reading + checking it with cache-staleness
// and stampede, median of 3.
//
//   build/bench/cache_checker_bench [OPERATIONS]   (default 1,000,000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench/run_timing.hpp"
#include "checkers/cache_staleness_checker.hpp"
#include "checkers/stampede_checker.hpp"
#include "core/history_reader.hpp"

using namespace redproof;

namespace {

void generate(const std::string& path, long operations) {
  std::mt19937_64 rng(7);
  std::ofstream out(path);
  constexpr int kKeys = 10'000, kWidth = 8;
  std::vector<long> version(kKeys, 0), acked(kKeys, 0);
  long index = 0, time = 0;
  auto line = [&](int p, const char* type, const char* f, int key, const std::string& v) {
    out << "{\"index\":" << index++ << ",\"time\":" << time << ",\"process\":" << p
        << ",\"type\":\"" << type << "\",\"f\":\"" << f << "\",\"key\":\"item:{" << key
        << "}\",\"value\":" << v << "}\n";
    time += 1000;
  };
  struct Pending {
    int process, key;
    const char* f;
    long v;
  };
  for (long done = 0; done < operations; done += kWidth) {
    std::vector<Pending> batch;
    for (int p = 0; p < kWidth; ++p) {
      const int key = static_cast<int>(std::min<double>(
          kKeys - 1, std::exp(std::uniform_real_distribution<>(0, std::log(kKeys))(rng)) - 1));
      const int roll = static_cast<int>(rng() % 20);
      Pending op{p, key, roll < 17 ? "read" : roll < 19 ? "write" : "flush", 0};
      if (op.f[0] == 'w') op.v = ++version[key];
      if (op.f[0] == 'f') op.v = acked[key];
      if (op.f[0] == 'r') op.v = acked[key];  // what completed before: never stale
      line(p, "invoke", op.f, key,
           op.f[0] == 'r' ? "null" : "{\"version\":" + std::to_string(op.v) + "}");
      batch.push_back(op);
    }
    // Writes take effect within the batch; reads returned what completed before it.
    for (const Pending& op : batch) {
      if (op.f[0] == 'w') acked[op.key] = std::max(acked[op.key], op.v);
    }
    time += 50'000;
    std::shuffle(batch.begin(), batch.end(), rng);  // completions in any order
    for (const Pending& op : batch) {
      std::string v = "null";
      if (op.f[0] == 'r') {
        v = "{\"version\":" + std::to_string(op.v) + ",\"source\":\"" +
            (rng() % 5 ? "cache" : "db") + "\"}";
      }
      line(op.process, "ok", op.f, op.key, v);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const long operations = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  if (operations <= 0) {
    std::fprintf(stderr, "cache_checker_bench: OPERATIONS must be positive\n");
    return 2;
  }
  const std::string path =
      (std::filesystem::temp_directory_path() / "cache_checker_bench.jsonl").string();
  generate(path, operations);
  {
    std::vector<bench::RunTiming> runs;
    for (int run = 0; run < 3; ++run) {
      runs.push_back(bench::time_run([&] { read_history_file(path); }));
    }
    std::printf("parse alone: %ld operations, median ", operations);
    bench::print_timing("", bench::median_of(runs), "");
  }
  for (const char* which : {"cache-staleness", "stampede"}) {
    std::vector<bench::RunTiming> runs;
    std::string verdict;
    for (int run = 0; run < 3; ++run) {
      runs.push_back(bench::time_run([&] {
        const std::vector<Op> history = read_history_file(path);
        CacheStalenessChecker staleness;
        StampedeChecker stampede;
        Checker& c = which[0] == 'c' ? static_cast<Checker&>(staleness) : stampede;
        verdict = std::string(validity_name(c.check(history).valid));
      }));
    }
    std::printf("%s: %ld operations, %s, parse + check median ", which, operations,
                verdict.c_str());
    bench::print_timing("", bench::median_of(runs), "");
  }
  std::filesystem::remove(path);
  return 0;
}
