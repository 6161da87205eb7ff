// End-to-end runs of the pubsub, session and leaderboard workloads against real redis-servers
// that redproof starts: a clean run is valid and re-checks the same offline, and the faults of
// anomalies.md produce the anomalies their checkers name.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;
using testing::Outcome;
using testing::run_redproof;
using testing::slurp;

class RunPatterns : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-patterns-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(scratch_);
  }

  Outcome run(std::vector<std::string> args) {
    args.push_back("--results-dir");
    args.push_back((scratch_ / "results").string());
    return run_redproof(args, scratch_.string());
  }
  fs::path latest() const { return fs::canonical(scratch_ / "results" / "latest"); }
  nlohmann::json checker(const std::string& name) const {
    return nlohmann::json::parse(slurp(latest() / "results.json"))["checkers"][name];
  }

  fs::path scratch_;
};

TEST_F(RunPatterns, CleanRunsAreValidAndRecheckTheSame) {
  for (const char* w : {"pubsub", "session", "leaderboard"}) {
    auto o = run({"run", w, "--time", "4s", "--seed", "3"});
    ASSERT_EQ(o.exit_code, 0) << w << o.out << o.err;
    auto again = run_redproof({"check", latest().string()}, scratch_.string());
    EXPECT_EQ(again.exit_code, 0) << w << again.out << again.err;
  }
  EXPECT_EQ(checker("leaderboard")["valid"], true);
}

TEST_F(RunPatterns, ASlowSubscriberIsCutOffAndLosesMessages) {
  auto o = run({"run", "pubsub", "--param", "slow=1", "--time", "10s", "--seed", "1"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto c = checker("pubsub");
  EXPECT_GT(c["anomaly_counts"]["lost-while-subscribed"].get<int>(), 0);
  EXPECT_LT(c["subscribers"]["0"]["delivery_ratio"].get<double>(), 1.0);
}

TEST_F(RunPatterns, KillRestartLosesScoresAndSessions) {
  auto lb = run({"run", "leaderboard", "--fault", "kill-restart", "--time", "8s", "--seed", "1"});
  ASSERT_EQ(lb.exit_code, 1) << lb.out << lb.err;
  EXPECT_GT(checker("leaderboard")["anomaly_counts"]["lost-increment"].get<int>(), 0);
  auto s = run({"run", "session", "--fault", "kill-restart", "--time", "8s", "--seed", "1"});
  ASSERT_EQ(s.exit_code, 1) << s.out << s.err;
  EXPECT_GT(checker("session")["anomaly_counts"]["forced-logout"].get<int>(), 0);
}

TEST_F(RunPatterns, BadKnobsAreOneLineAndExitTwo) {
  auto o = run({"run", "pubsub", "--param", "subscribers=9", "--time", "1s"});
  EXPECT_EQ(o.exit_code, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("subscribers=9"), std::string::npos) << o.err;
  auto s = run({"run", "session", "--param", "ttl=soon", "--time", "1s"});
  EXPECT_EQ(s.exit_code, 2) << s.out << s.err;
}

}  // namespace
}  // namespace redproof
