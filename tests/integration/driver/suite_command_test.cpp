// `redproof suite` end to end: real runs as child processes, exit codes, the JUnit file CI reads,
// suite.html, baselines, and Ctrl-C.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

class SuiteCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-suite-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(scratch_);
  }
  std::string write_plan(const std::string& text) {
    const fs::path p = scratch_ / "plan.json";
    std::ofstream(p) << text;
    return p.string();
  }
  testing::Outcome suite(std::vector<std::string> extra, std::chrono::milliseconds interrupt = {}) {
    std::vector<std::string> args = {"suite",         (scratch_ / "plan.json").string(),
                                     "--junit",       (scratch_ / "out" / "junit.xml").string(),
                                     "--results-dir", (scratch_ / "results").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::run_redproof(args, scratch_.string(), interrupt);
  }
  // Parses with the tool CI scripts use; returns its exit code.
  int minidom(const fs::path& xml) {
    const std::string cmd = "python3 -m xml.dom.minidom " + xml.string() + " > " +
                            (scratch_ / "minidom.txt").string() + " 2>&1";
    return std::system(cmd.c_str());
  }
  fs::path scratch_;
};

constexpr const char* kTwoRuns = R"({"runs": [
  {"name": "register stays linearizable", "workload": "register", "time": "2s",
   "expect": {"valid": true}},
  {"name": "register wrongly expected broken", "workload": "register", "time": "2s", "seeds": [4],
   "expect": {"valid": false}}]})";

TEST_F(SuiteCommand, AMissedExpectationExitsOneAndNamesTheRun) {
  write_plan(kTwoRuns);
  const auto o = suite({});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_NE(o.out.find("suite FAILED: \"register wrongly expected broken\""), std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("MISSED: register wrongly expected broken (expected invalid; 0 of 1 seeds "
                       "met, 1 needed)"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("expected valid=false, got true"), std::string::npos);
  // The exact command that replays the failing seed.
  EXPECT_NE(o.out.find("run register --fault none --time 2s --seed 4 --clients 5"),
            std::string::npos)
      << o.out;
  // The table: run, expected, got, seeds met.
  EXPECT_NE(o.out.find("1/1 (need 1) ok"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("0/1 (need 1) MISSED"), std::string::npos) << o.out;

  const fs::path junit = scratch_ / "out" / "junit.xml";
  ASSERT_TRUE(fs::exists(junit));
  EXPECT_EQ(minidom(junit), 0) << testing::slurp((scratch_ / "minidom.txt").string());
  const std::string xml = testing::slurp(junit.string());
  EXPECT_NE(xml.find("<testsuite name=\"plan.json\" tests=\"2\" failures=\"1\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"register stays linearizable\" name=\"seed 1\""),
            std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"register wrongly expected broken\" name=\"seed 4\""),
            std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"expected invalid: expected valid=false, got true\""),
            std::string::npos);
  EXPECT_NE(xml.find("results: " + fs::canonical(scratch_ / "results").string() +
                     "/register-stays-linearizable/seed-1/register/get-set/none/"),
            std::string::npos)
      << xml;

  // suite.html beside the JUnit file, linking each seed's report.html relatively.
  const std::string html = testing::slurp((scratch_ / "out" / "suite.html").string());
  EXPECT_NE(html.find("Failed: 1 of 2 runs missed their expectations."), std::string::npos);
  EXPECT_NE(
      html.find("href=\"../results/register-stays-linearizable/seed-1/register/get-set/none/"),
      std::string::npos)
      << html;
  // Each seed's own directory: its log and its `latest`.
  EXPECT_TRUE(fs::exists(scratch_ / "results/register-stays-linearizable/seed-1/redproof.log"));
  EXPECT_TRUE(
      fs::exists(scratch_ / "results/register-stays-linearizable/seed-1/latest/report.html"));
}

TEST_F(SuiteCommand, AMalformedPlanExitsTwoWithItsPathBeforeAnythingRuns) {
  write_plan(R"({"runs": [{"workload": "register", "expect": {"valid": true}},
                          {"workload": "lock", "variant": "get-del", "fault": ["pause-client", "pause-klient"],
                           "expect": {"valid": false}}]})");
  auto o = suite({});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(
      o.err.rfind("redproof suite: plan.json: runs[1].fault[1]: unknown fault \"pause-klient\"", 0),
      0u)
      << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_FALSE(fs::exists(scratch_ / "results"));
  EXPECT_FALSE(fs::exists(scratch_ / "out" / "junit.xml"));

  write_plan(
      R"({"runs": [{"workload": "lock", "expect": {"valid": true, "anomalies": []}, "time": "1 s"}]})");
  o = suite({});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("runs[0].time: \"1 s\" is not a positive duration"), std::string::npos)
      << o.err;

  write_plan(R"({"runs": [{"workload": "lock", "expect": {"valid": true}}]})");
  o = suite({"--only", "^register"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--only \"^register\": no run's name matches"), std::string::npos) << o.err;
}

TEST_F(SuiteCommand, MinSeedsAndOverrides) {
  // --seeds 2 runs seeds 1 and 2 of every run; --only keeps one run; --time shortens it.
  write_plan(R"({"runs": [
    {"name": "lock fine", "workload": "lock", "time": "30s", "seeds": [9], "expect": {"valid": true}},
    {"name": "register fine", "workload": "register", "time": "30s", "expect": {"valid": true}}]})");
  const auto o = suite({"--only", "lock", "--seeds", "2", "--time", "1s"});
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("2/2 (need 2) ok"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("register fine"), std::string::npos);
  EXPECT_NE(o.out.find("suite passed"), std::string::npos);
  EXPECT_TRUE(fs::exists(scratch_ / "results/lock-fine/seed-2/latest/results.json"));
}

TEST_F(SuiteCommand, BaselinesAreSavedAndRegressionsFail) {
  write_plan(
      R"({"runs": [{"name": "r", "workload": "register", "time": "2s", "expect": {"valid": true}}]})");
  auto o = suite({"--save-baseline", (scratch_ / "base").string()});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto base = nlohmann::json::parse(testing::slurp((scratch_ / "base/baseline.json").string()));
  ASSERT_TRUE(base["runs"].contains("r")) << base.dump();
  EXPECT_GT(base["runs"]["r"]["p99_ns"].get<double>(), 0);

  // A baseline far slower than any run: no regression.
  base["runs"]["r"] = {{"p50_ns", 1e12}, {"p99_ns", 1e12}, {"p999_ns", 1e12}, {"ops_per_s", 1}};
  std::ofstream(scratch_ / "base/baseline.json") << base.dump();
  o = suite({"--baseline", (scratch_ / "base").string()});
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;

  // A baseline far faster: a regression, in the table, the JUnit file and the exit code.
  base["runs"]["r"] = {{"p50_ns", 1}, {"p99_ns", 1}, {"p999_ns", 1}, {"ops_per_s", 1e9}};
  std::ofstream(scratch_ / "base/baseline.json") << base.dump();
  o = suite({"--baseline", (scratch_ / "base").string(), "--tolerance", "50"});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_NE(o.out.find("REGRESSED: r: p50 "), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("tolerance 50%"), std::string::npos) << o.out;
  const std::string xml = testing::slurp((scratch_ / "out/junit.xml").string());
  EXPECT_NE(xml.find("name=\"baseline\""), std::string::npos);
  EXPECT_NE(xml.find("type=\"regression\""), std::string::npos) << xml;
}

TEST_F(SuiteCommand, RunBaselineComparesWithAStoredRun) {
  const std::string results = (scratch_ / "results").string();
  auto o = testing::run_redproof({"run", "register", "--time", "2s", "--results-dir", results},
                                 scratch_.string());
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const fs::path stored = fs::canonical(scratch_ / "results" / "latest");
  o = testing::run_redproof({"run", "register", "--time", "2s", "--results-dir", results,
                             "--baseline", stored.string(), "--tolerance", "1000000"},
                            scratch_.string());
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("baseline: within 1e+06% of"), std::string::npos) << o.out;

  auto r = nlohmann::json::parse(testing::slurp((stored / "results.json").string()));
  r["stats"]["latency"]["p99_ns"] = 1;
  std::ofstream(stored / "results.json") << r.dump();
  o = testing::run_redproof(
      {"run", "register", "--time", "2s", "--results-dir", results, "--baseline", stored.string()},
      scratch_.string());
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_NE(o.out.find("REGRESSION: p99 "), std::string::npos) << o.out;

  o = testing::run_redproof(
      {"run", "register", "--time", "2s", "--baseline", (scratch_ / "nowhere").string()},
      scratch_.string());
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("--baseline: "), std::string::npos) << o.err;
}

TEST_F(SuiteCommand, CtrlCHealsTheRunningSeedSkipsTheRestAndStillWritesJunit) {
  write_plan(R"({"runs": [
    {"name": "long lock", "workload": "lock", "fault": "pause-server", "time": "30s", "expect": {"valid": true}},
    {"name": "never started", "workload": "register", "time": "2s", "seeds": [1, 2], "expect": {"valid": true}}]})");
  const auto started = std::chrono::steady_clock::now();
  const auto o = suite({}, std::chrono::milliseconds(3000));
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(o.exit_code, 3) << o.out << o.err;
  EXPECT_LT(took, std::chrono::seconds(25));
  EXPECT_NE(o.out.find("suite interrupted"), std::string::npos) << o.out;
  const fs::path junit = scratch_ / "out" / "junit.xml";
  ASSERT_TRUE(fs::exists(junit));
  EXPECT_EQ(minidom(junit), 0);
  const std::string xml = testing::slurp(junit.string());
  EXPECT_NE(xml.find("skipped=\"3\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<property name=\"interrupted\" value=\"true\"/>"), std::string::npos);
  // The interrupted run healed itself: its log says so and no server of it is left.
  const std::string log =
      testing::slurp((scratch_ / "results/long-lock/seed-1/redproof.log").string());
  EXPECT_NE(log.find("interrupted; faults healed, servers stopped"), std::string::npos) << log;
  EXPECT_TRUE(fs::exists(scratch_ / "out" / "suite.html"));
}

}  // namespace
}  // namespace redproof
