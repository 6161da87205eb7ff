// Figures for the pubsub, session and leaderboard checkers: each decides a generated
// 1,000,000-operation history (2,000,000 events), parsing included, median of 3 runs.
//
//   build/bench/pubsub_session_leaderboard_checker_bench
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

#include "bench/run_timing.hpp"
#include "checkers/leaderboard_checker.hpp"
#include "checkers/pubsub_checker.hpp"
#include "checkers/session_checker.hpp"
#include "core/history_reader.hpp"

using namespace redproof;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kOps = 1'000'000;

// Writes events with consecutive indexes and times.
class Writer {
 public:
  explicit Writer(const std::string& path) : out_(path) {}
  void event(int process, const char* type, const char* f, const std::string& key,
             const std::string& value) {
    time_ += 1000;
    out_
        << fmt::format(
               R"({{"index":{},"time":{},"process":{},"type":"{}","f":"{}","key":"{}","value":{}}})",
               index_++, time_, process, type, f, key, value)
        << '\n';
  }
  void op(int process, const char* f, const std::string& key, const std::string& in,
          const std::string& out) {
    event(process, "invoke", f, key, in);
    event(process, "ok", f, key, out);
  }

 private:
  std::ofstream out_;
  std::int64_t index_ = 0;
  std::int64_t time_ = 0;
};

// 10 subscribers on 10 channels, each subscription 2,000 messages long; 8 publishers.
void write_pubsub(const std::string& path) {
  Writer w(path);
  std::mt19937_64 rng(1);
  int ops = 0, id = 0;
  while (ops < kOps) {
    const std::string ch = fmt::format("channel:{}", rng() % 10);
    const int sub = static_cast<int>(rng() % 10);
    w.op(sub, "subscribe", ch, "null", "null");
    ++ops;
    for (int i = 0; i < 1000 && ops < kOps; ++i, ops += 2) {
      const std::string m = fmt::format("\"w{}-{}\"", 10 + i % 8, ++id);
      w.op(10 + i % 8, "publish", ch, m, "1");
      w.op(sub, "receive", ch, "null", m);
    }
    w.op(sub, "unsubscribe", ch, "null", "null");
    ++ops;
  }
}

void write_session(const std::string& path) {
  Writer w(path);
  std::mt19937_64 rng(2);
  const std::string ttl = R"({"ttl_ms":3000})";
  for (int ops = 0; ops < kOps;) {
    const int p = static_cast<int>(rng() % 20);
    const std::string s = fmt::format("session:{}", rng() % 1000);
    w.op(p, "login", s, ttl, "null");
    for (int i = 0; i < 8; ++i) w.op(p, "refresh", s, ttl, R"({"user":"u"})");
    w.op(p, "logout", s, "null", "null");
    ops += 10;
  }
}

void write_leaderboard(const std::string& path) {
  Writer w(path);
  std::mt19937_64 rng(3);
  std::vector<std::int64_t> score(50, 0);
  for (int ops = 0; ops < kOps - 1; ++ops) {
    const int p = static_cast<int>(rng() % 20);
    if (ops % 20 == 19) {
      w.op(p, "top", "board:0", "5", "[]");
      continue;
    }
    const int m = static_cast<int>(rng() % 50);
    const int by = 1 + static_cast<int>(rng() % 5);
    score[m] += by;
    w.op(p, "incr", "board:0", fmt::format(R"({{"member":"m{}","by":{}}})", m, by),
         std::to_string(score[m]));
  }
  std::string final_read = "{";
  for (int m = 0; m < 50; ++m) final_read += fmt::format("{}\"m{}\":{}", m ? "," : "", m, score[m]);
  w.op(99, "read", "board:0", "null", final_read + "}");
}

void measure(const char* name, void (*write)(const std::string&), Checker& checker) {
  const auto path =
      (std::filesystem::temp_directory_path() / fmt::format("{}-bench.jsonl", name)).string();
  write(path);
  std::vector<bench::RunTiming> runs, parse_runs;
  std::string verdict;
  for (int run = 0; run < 3; ++run) {
    std::vector<Op> history;
    parse_runs.push_back(bench::time_run([&] { history = read_history_file(path); }));
    const bench::RunTiming check = bench::time_run(
        [&] { verdict = std::string(validity_name(checker.check(history).valid)); });
    runs.push_back({parse_runs.back().wall_seconds + check.wall_seconds,
                    parse_runs.back().user_seconds + check.user_seconds,
                    parse_runs.back().system_seconds + check.system_seconds});
  }
  const bench::RunTiming total = bench::median_of(runs), parse = bench::median_of(parse_runs);
  fmt::print(
      "{:12} 1,000,000 ops, verdict {}: parse + check {:.2f} s wall, {:.2f} s user CPU, {:.2f} s "
      "system CPU (median of 3; parse alone {:.2f} s wall, {:.2f} s user CPU)\n",
      name, verdict, total.wall_seconds, total.user_seconds, total.system_seconds,
      parse.wall_seconds, parse.user_seconds);
  std::filesystem::remove(path);
}

}  // namespace

int main() {
  PubsubChecker pubsub;
  SessionChecker session(3000);
  LeaderboardChecker leaderboard;
  measure("pubsub", write_pubsub, pubsub);
  measure("session", write_session, session);
  measure("leaderboard", write_leaderboard, leaderboard);
}
