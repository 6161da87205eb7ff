// The cache and stampede workloads end to end against a real redis-server and their SQLite
// database: the acceptance cells of ../shared/spec/anomalies.md that matter most (cache-aside's
// stale-set race under a client pause, the versioned fill that closes it, write-behind losing
// acknowledged writes with Redis, the herd without stampede protection, the mutex without it),
// and `check` re-judging a stored run offline the same way.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof {
namespace {

namespace fs = std::filesystem;

class RunCache : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-cache-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(scratch_);
  }
  testing::Outcome run(std::vector<std::string> args) {
    args.push_back("--results-dir");
    args.push_back((scratch_ / "results").string());
    return testing::run_redproof(args, scratch_.string());
  }
  fs::path latest() const { return fs::canonical(scratch_ / "results" / "latest"); }
  nlohmann::json results() const {
    return nlohmann::json::parse(testing::slurp(latest() / "results.json"));
  }
  // Seeds tried until one shows the anomaly: a race needs some luck, the verdict none.
  bool finds(std::vector<std::string> args, const std::string& checker, const std::string& name) {
    for (const char* seed : {"1", "2", "3"}) {
      auto a = args;
      a.insert(a.end(), {"--seed", seed});
      auto o = run(a);
      if (o.exit_code == 1 && results()["checkers"][checker]["anomaly_counts"].contains(name)) {
        return true;
      }
    }
    return false;
  }
  fs::path scratch_;
};

TEST_F(RunCache, CacheAsideWithoutFaultsIsValidAndKeepsItsDatabaseInTheRun) {
  auto o = run({"run", "cache", "--time", "4s"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_TRUE(fs::exists(latest() / "cache-db.sqlite"));
  const auto r = results()["checkers"]["cache-staleness"];
  EXPECT_GT(r["hit_ratio"].get<double>(), 0.3);
  EXPECT_GT(r["db_loads"].get<int>(), 0);
  EXPECT_EQ(r["consistency"].size(), 3u);
  const auto run_json = nlohmann::json::parse(testing::slurp(latest() / "run.json"));
  EXPECT_GT(run_json["workload_config"]["database"]["loads"].get<int>(), 0);
}

TEST_F(RunCache, CacheAsideUnderAClientPauseServesStaleReads) {
  // 20 items: the paused reader's item is surely written during the pause.
  EXPECT_TRUE(
      finds({"run", "cache", "--fault", "pause-client", "--time", "8s", "--param", "items=20"},
            "cache-staleness", "stale-read"));
}

TEST_F(RunCache, TheVersionedFillClosesTheStaleSetRace) {
  auto o = run({"run", "cache", "--variant", "cache-aside-versioned", "--fault", "pause-client",
                "--time", "8s", "--seed", "1", "--param", "items=20"});
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
}

TEST_F(RunCache, WriteBehindLosesAcknowledgedWritesWithRedis) {
  EXPECT_TRUE(finds(
      {"run", "cache", "--variant", "write-behind", "--fault", "kill-restart", "--time", "8s"},
      "cache-staleness", "lost-write"));
  // The stored run is judged the same way offline.
  auto o = testing::run_redproof({"check", latest().string()}, scratch_.string());
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
}

TEST_F(RunCache, NoStampedeProtectionIsAHerdAndTheMutexIsNot) {
  auto none = run({"run", "stampede", "--variant", "none", "--clients", "20", "--time", "5s"});
  EXPECT_EQ(none.exit_code, 1) << none.out << none.err;
  EXPECT_TRUE(results()["checkers"]["stampede"]["anomaly_counts"].contains("herd"));
  auto mutex = run({"run", "stampede", "--variant", "mutex", "--clients", "20", "--time", "5s"});
  EXPECT_EQ(mutex.exit_code, 0) << mutex.out << mutex.err;
}

TEST_F(RunCache, BadKnobsAndScriptsAreOneLineAndExitTwo) {
  auto o = run({"run", "cache", "--param", "ttl=soon", "--time", "1s"});
  EXPECT_EQ(o.exit_code, 2);
  o = run({"run", "cache", "--variant", "write-behind", "--clients", "1", "--time", "1s"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("flusher"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace redproof
