// What a killed, interrupted or undecided run leaves says so: the torn line of its history in
// results.json, the console and the report; a plain-sentence reason for every unknown verdict;
// and its files readable by their owner only.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/history_writer.hpp"
#include "results/console_summary.hpp"
#include "results/html_report.hpp"
#include "results/results_directory.hpp"
#include "results/results_json.hpp"
#include "tests/unit/results/sample_run.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

std::string console(const RunRecord& r) {
  std::ostringstream out;
  print_console_summary(out, r);
  return out.str();
}

TEST(KilledRunResults, TheTornLineCountIsInResultsJsonTheConsoleAndTheReport) {
  RunRecord r = testing::sample_run(0);
  EXPECT_EQ(results_json(r)["history_torn_lines"], 0);
  EXPECT_FALSE(results_json(r).contains("warnings"));
  EXPECT_EQ(console(r).find("torn"), std::string::npos);

  r.history_torn_lines = 1;
  r.history_torn_bytes = 37;
  const nlohmann::json j = results_json(r);
  EXPECT_EQ(j["history_torn_lines"], 1);
  EXPECT_EQ(j["warnings"], nlohmann::json::array({"history: last line torn (37 bytes), ignored"}));
  EXPECT_NE(console(r).find("Warning: history: last line torn (37 bytes), ignored\n"),
            std::string::npos)
      << console(r);
  EXPECT_NE(html_report(r).find("history: last line torn (37 bytes), ignored"), std::string::npos);
}

TEST(KilledRunResults, TheRunsOwnReasonWinsOverTheCheckers) {
  RunRecord r = testing::sample_run(0);
  r.valid = Validity::kUnknown;
  r.reason = "interrupted (Ctrl-C or SIGTERM) before the load ended";
  EXPECT_EQ(results_json(r)["reason"], r.reason);
  EXPECT_NE(console(r).find("Unknown because: interrupted"), std::string::npos);
}

TEST(KilledRunResults, ASpentCheckTimeoutIsAPlainSentence) {
  RunRecord r = testing::sample_run(0);
  CheckResult gave_up;
  gave_up.valid = Validity::kUnknown;
  gave_up.details = {{"reason", "timeout"}};
  r.checks.emplace_back("linearizable", gave_up);
  r.valid = Validity::kUnknown;
  const std::string expected =
      "the linearizable checker ran out of time before it decided (see --check-timeout)";
  EXPECT_EQ(results_json(r)["reason"], expected);
  EXPECT_NE(console(r).find("Unknown because: " + expected), std::string::npos) << console(r);
  EXPECT_NE(html_report(r).find("Unknown because: " + expected), std::string::npos);
  // A checker that failed says how.
  CheckResult failed;
  failed.valid = Validity::kUnknown;
  failed.details = {{"error", "checker failed: bad value"}};
  r.checks.emplace_back("queue", failed);
  EXPECT_EQ(results_json(r)["reason"], expected + "; the queue checker: checker failed: bad value");
  // A decided verdict has no reason.
  r.valid = Validity::kValid;
  EXPECT_FALSE(results_json(r).contains("reason"));
}

class KilledRunDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("redproof-killed-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(root_);
  }
  // A finished sample run written as `run` writes it.
  RunRecord write_sample(int violations) {
    RunRecord record = testing::sample_run(violations);
    record.directory = create_run_directory(root_.string(), "lock", "get-del", "pause-client");
    write_run_json(record.directory, record.config);
    {
      HistoryWriter writer(record.directory + "/history.jsonl");
      for (Op op : record.history) writer.append(op);
    }
    return record;
  }
  fs::path root_;
};

TEST_F(KilledRunDirectory, AKilledRunReadsBackWithItsTornLineAndWhyItIsUnknown) {
  RunRecord record = write_sample(0);
  std::ofstream(record.directory + "/history.jsonl", std::ios::app)
      << R"({"index":605,"time":3000000000,"proc)";
  const RunRecord back = read_run_directory(record.directory);
  EXPECT_EQ(back.history.size(), record.history.size());
  EXPECT_EQ(back.history_torn_lines, 1u);
  EXPECT_EQ(back.history_torn_bytes, 36u);
  EXPECT_EQ(back.valid, Validity::kUnknown);
  EXPECT_EQ(back.reason, kNoResultsReason);
  EXPECT_EQ(results_json(back)["reason"], kNoResultsReason);
}

TEST_F(KilledRunDirectory, ACheckersReasonIsNotReadBackAsTheRunsOwn) {
  RunRecord record = write_sample(0);
  CheckResult gave_up;
  gave_up.valid = Validity::kUnknown;
  gave_up.details = {{"reason", "timeout"}};
  record.checks.emplace_back("linearizable", gave_up);
  record.valid = Validity::kUnknown;
  write_results(record);
  const RunRecord back = read_run_directory(record.directory);
  EXPECT_TRUE(back.reason.empty()) << back.reason;  // a re-check gives it again, or decides
  EXPECT_EQ(unknown_reason(back), unknown_reason(record));
  // The run's own reason is kept.
  record.reason = "a client worker failed: boom";
  write_results(record);
  EXPECT_EQ(read_run_directory(record.directory).reason, record.reason);
}

TEST_F(KilledRunDirectory, AFailedSetupLeavesAResultsJsonWithItsReason) {
  RunRecord failed;
  failed.directory = create_run_directory(root_.string(), "lock", "v", "none");
  failed.reason = "setup failed before the load started: redis-server did not start";
  write_results_json(failed);
  const auto j = nlohmann::json::parse(std::ifstream(failed.directory + "/results.json"));
  EXPECT_EQ(j["valid"], "unknown");
  EXPECT_EQ(j["reason"], failed.reason);
}

TEST_F(KilledRunDirectory, DirectoriesAre0700AndFiles0600WhateverTheUmask) {
  const mode_t old = ::umask(0);
  RunRecord record = write_sample(1);
  write_results(record);
  ::umask(old);
  for (fs::path p = record.directory; p != root_.parent_path(); p = p.parent_path()) {
    EXPECT_EQ(mode_of(p), 0700u) << p;
  }
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(record.directory)) {
    EXPECT_EQ(mode_of(e.path()), 0600u) << e.path();
    ++files;
  }
  EXPECT_GE(files, 5u);  // run.json, history.jsonl, results.json, latency.hgrm, report.html...
}

TEST_F(KilledRunDirectory, AnOversizedRunJsonIsOneLine) {
  RunRecord record = write_sample(0);
  fs::resize_file(record.directory + "/run.json", 65 << 20);
  try {
    read_run_directory(record.directory);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("over the 64 MiB limit"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace redproof
