// `redproof bench` as users run it: a real run with JSON output, SLO exit codes, bad flags, and
// an unreachable server (which must not exit 0).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

class BenchCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-bench-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(scratch_);
  }
  void TearDown() override { fs::remove_all(scratch_); }
  testing::Outcome run(const std::vector<std::string>& args) {
    return testing::run_redproof(args, scratch_.string());
  }
  fs::path scratch_;
};

TEST_F(BenchCommand, StartsItsOwnServerAndPrintsStrictJson) {
  auto o = run({"bench", "--time", "1s", "--clients", "4", "--pipeline", "4", "--mix",
                "set:1,get:3", "--json"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  auto j = nlohmann::json::parse(o.out);  // throws on NaN/Infinity, which JSON does not have
  EXPECT_GT(j["counts"]["completed"].get<std::uint64_t>(), 100u);
  EXPECT_EQ(j["counts"]["error_replies"], 0);
  EXPECT_GT(j["latency"]["corrected"]["p99_ns"].get<std::int64_t>(), 0);
  EXPECT_GT(j["client_cpu"]["us_per_op"].get<double>(), 0);
  EXPECT_FALSE(j["series"].empty());
}

// A pattern workload of `run`, driven by the same engine and reported the same way.
TEST_F(BenchCommand, DrivesAPatternWorkloadWithoutCheckers) {
  auto o = run({"bench", "--workload", "lock", "--variant", "fencing", "--time", "2s", "--clients",
                "4", "--threads", "2", "--json"});
  ASSERT_EQ(o.exit_code, 0) << o.err;
  auto j = nlohmann::json::parse(o.out);
  EXPECT_EQ(j["config"]["workload"], "lock (fencing)");
  EXPECT_EQ(j["config"]["threads"], 2);
  const auto completed = j["counts"]["completed"].get<std::uint64_t>();
  const auto failed = j["counts"]["failed"].get<std::uint64_t>();
  EXPECT_GT(completed, 20u);
  EXPECT_GT(failed, 0u) << "four clients contend for the locks: some acquisitions are busy";
  EXPECT_LT(failed, completed);
  EXPECT_GT(j["latency"]["corrected"]["p50_ns"].get<std::int64_t>(), 0);
  EXPECT_FALSE(j["series"].empty());

  auto text = run({"bench", "--workload", "register", "--time", "1s", "--clients", "4", "--rate",
                   "200", "--quiet"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("workload register (get-set)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("uncorrected"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("outcomes"), std::string::npos) << text.out;
}

TEST_F(BenchCommand, ABreachedSloExitsOne) {
  auto o = run({"bench", "--time", "1s", "--clients", "2", "--slo", "p50<1us", "--quiet"});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_NE(o.out.find("BREACHED"), std::string::npos) << o.out;
}

TEST_F(BenchCommand, AnUnreachableServerIsNotASuccess) {
  auto o = run({"bench", "--time", "1s", "--target", "127.0.0.1:1", "--quiet"});
  EXPECT_EQ(o.exit_code, 3) << o.out;
  EXPECT_NE(o.err.find("no request succeeded"), std::string::npos) << o.err;
}

TEST_F(BenchCommand, BadInputIsOneLineAndExitTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{"bench", "--pipeline", "0"},
                                        {"bench", "--mix", "nosuch"},
                                        {"bench", "--key-pattern", "pareto"},
                                        {"bench", "--slo", "p99<"},
                                        {"bench", "--target", "nohostport"},
                                        {"bench", "--workload", "nosuch"},
                                        {"bench", "--workload", "lock", "--variant", "nosuch"},
                                        {"bench", "--workload", "lock", "--pipeline", "4"},
                                        {"bench", "--workload", "lock", "--mix", "set"},
                                        {"bench", "--workload", "lock", "--variant", "redlock"},
                                        {"bench", "--workload", "lock", "--param", "nosuch=1"},
                                        {"bench", "--variant", "fencing"}}) {
    auto o = run(args);
    EXPECT_EQ(o.exit_code, 2) << args[1] << ": " << o.err;
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  }
}

}  // namespace
}  // namespace redproof
