#include "results/results_directory.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "core/history_writer.hpp"
#include "tests/unit/results/sample_run.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ResultsDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("redproof-results-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(root_);
  }
  fs::path root_;
};

TEST_F(ResultsDirectory, NamesTheDirectoryAfterTheRunAndPointsLatestAtIt) {
  const fs::path dir = create_run_directory(root_.string(), "lock", "get-del", "pause-client");
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_EQ(dir.parent_path(), root_ / "lock" / "get-del" / "pause-client");
  EXPECT_TRUE(std::regex_match(dir.filename().string(), std::regex(R"(\d{8}T\d{6}Z)")))
      << dir.filename();
  ASSERT_TRUE(fs::is_symlink(root_ / "latest"));
  EXPECT_TRUE(fs::read_symlink(root_ / "latest").is_relative());
  EXPECT_EQ(fs::canonical(root_ / "latest"), fs::canonical(dir));
}

TEST_F(ResultsDirectory, RunsInTheSameSecondGetDistinctDirectories) {
  std::set<std::string> dirs;
  std::string last;
  for (int i = 0; i < 5; ++i) {
    last = create_run_directory(root_.string(), "lock", "lua-release", "none");
    dirs.insert(last);
  }
  EXPECT_EQ(dirs.size(), 5u);
  // At least two of them fell in one second, so a suffix was needed (-2, -3, ...).
  bool suffixed = false;
  for (const auto& d : dirs) suffixed = suffixed || d.find("Z-") != std::string::npos;
  EXPECT_TRUE(suffixed);
  EXPECT_EQ(fs::canonical(root_ / "latest"), fs::canonical(last));
}

TEST_F(ResultsDirectory, AnEmptyFaultLabelAndSlashesStayOneComponent) {
  const fs::path dir = create_run_directory(root_.string(), "lock", "a/b", "");
  EXPECT_EQ(dir.parent_path(), root_ / "lock" / "a_b" / "none");
}

TEST_F(ResultsDirectory, AnUncreatableRootIsOneLineNamingThePath) {
  fs::create_directories(root_);
  std::ofstream(root_ / "file") << "x";
  try {
    create_run_directory((root_ / "file").string(), "lock", "v", "none");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find((root_ / "file").string()), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST_F(ResultsDirectory, WritesEveryFileAndReadsTheRunBack) {
  RunRecord record = testing::sample_run(2);
  record.directory = create_run_directory(root_.string(), "lock", "get-del", "pause-client");
  write_run_json(record.directory, record.config);
  {
    HistoryWriter writer(record.directory + "/history.jsonl");
    for (Op op : record.history) writer.append(op);
  }
  write_results(record);
  const fs::path dir(record.directory);
  for (const char* f :
       {"run.json", "history.jsonl", "results.json", "latency.hgrm", "report.html"}) {
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << "left behind: " << entry.path();
  }
  EXPECT_EQ(nlohmann::json::parse(slurp(dir / "run.json")), record.config);
  EXPECT_NE(slurp(dir / "latency.hgrm").find("#[Buckets =           16"), std::string::npos);

  RunRecord back = read_run_directory(record.directory);
  EXPECT_EQ(back.config, record.config);
  EXPECT_EQ(back.history.size(), record.history.size());
  EXPECT_EQ(back.valid, Validity::kInvalid);
  ASSERT_EQ(back.checks.size(), 2u);
  EXPECT_EQ(back.checks[0].first, "double-holder");
  EXPECT_EQ(back.checks[0].second.valid, Validity::kInvalid);
  ASSERT_EQ(back.checks[0].second.anomalies.size(), 2u);
  EXPECT_EQ(back.checks[0].second.anomalies[1].magnitude["overlap_ms"], 213.4);
  EXPECT_FALSE(back.checks[0].second.details.contains("anomalies"));
  EXPECT_FALSE(back.checks[0].second.details.contains("valid"));
  EXPECT_EQ(back.stats["duration_s"], 3.0);

  // Rewriting the report from what was read back gives the same page.
  const std::string before = slurp(dir / "report.html");
  fs::remove(dir / "report.html");
  write_report(back);
  EXPECT_EQ(slurp(dir / "report.html"), before);
}

TEST_F(ResultsDirectory, ARunThatDiedBeforeCheckingReadsBackAsUnknown) {
  const fs::path dir = create_run_directory(root_.string(), "lock", "v", "none");
  write_run_json(dir.string(), {{"workload", "lock"}});
  std::ofstream(dir / "history.jsonl")
      << R"({"index":0,"time":5,"process":0,"type":"invoke","f":"acquire","key":"lock:0"})"
      << "\n{\"index\":1,\"ti";  // killed mid-line
  RunRecord r = read_run_directory(dir.string());
  EXPECT_EQ(r.valid, Validity::kUnknown);
  EXPECT_TRUE(r.checks.empty());
  EXPECT_EQ(r.history.size(), 1u);
}

TEST_F(ResultsDirectory, ReadingABadDirectoryIsOneLineNamingIt) {
  fs::create_directories(root_ / "empty");
  std::ofstream(root_ / "bad-json" / "run.json");
  for (const fs::path& p : {root_ / "missing", root_ / "empty"}) {
    try {
      read_run_directory(p.string());
      ADD_FAILURE() << p;
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(p.string()), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
  fs::create_directories(root_ / "bad");
  std::ofstream(root_ / "bad" / "run.json") << "{not json";
  std::ofstream(root_ / "bad" / "history.jsonl") << "";
  EXPECT_THROW(read_run_directory((root_ / "bad").string()), std::runtime_error);
  std::ofstream(root_ / "bad" / "run.json") << "{}";
  std::ofstream(root_ / "bad" / "history.jsonl") << "garbage\n";
  try {
    read_run_directory((root_ / "bad").string());
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("history.jsonl: line 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace redproof
