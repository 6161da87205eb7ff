// End-to-end runs of the rate-limit workload against a real redis-server that redproof starts:
// the correct limiters stay valid, each broken one is caught with the anomaly the acceptance
// matrix names, the user's own Lua is judged the same way, and bad input is one line, exit 2.
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

const std::string kScripts = std::string(REDPROOF_SOURCE_DIR) + "/tests/integration/driver/scripts";

class RunRateLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-rl-" + std::to_string(getpid()) + "-" +
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
  nlohmann::json checker() const {
    return nlohmann::json::parse(slurp(latest() / "results.json"))["checkers"]["rate-limit"];
  }
  static std::int64_t count(const nlohmann::json& c, const char* name) {
    return c["anomaly_counts"].value(name, 0);
  }

  fs::path scratch_;
};

TEST_F(RunRateLimit, SlidingLogLuaIsValidAndTheOfflineCheckAgrees) {
  auto o = run({"run", "rate-limit", "--fault", "none", "--time", "6s", "--seed", "1"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto c = checker();
  EXPECT_EQ(c["valid"], true);
  EXPECT_GT(c["admitted"].get<int>(), 100);
  EXPECT_GT(c["rejected"].get<int>(), 100) << "the arrival rate should exceed the limit";
  const std::string dir = latest().string();
  EXPECT_EQ(run_redproof({"check", dir}, scratch_.string()).exit_code, 0);
  // The same history with a tighter limit than the one it ran under is over-admission.
  auto tight = run_redproof({"check", "--workload", "rate-limit", "--variant", "sliding-log-lua",
                             "--param", "limit=5", "--param", "window=1s", dir + "/history.jsonl"},
                            scratch_.string());
  EXPECT_EQ(tight.exit_code, 1) << tight.out << tight.err;
  EXPECT_NE(tight.out.find("over-admission"), std::string::npos) << tight.out;
}

TEST_F(RunRateLimit, FixedWindowBurstsAtBoundariesAreNotedNotViolations) {
  auto o = run({"run", "rate-limit", "--variant", "fixed-window", "--fault", "none", "--time", "6s",
                "--seed", "2"});
  ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
  auto c = checker();
  EXPECT_GT(count(c, "boundary-burst"), 0) << c.dump();
  EXPECT_EQ(count(c, "over-admission"), 0);
  EXPECT_NE(o.out.find("across a window boundary"), std::string::npos) << o.out;
}

// A race that needs luck with timing (about nine seeds in ten): any of three seeds must find it.
TEST_F(RunRateLimit, NonAtomicSlidingLogOverAdmitsUnderConcurrency) {
  std::string outputs;
  for (const char* seed : {"1", "2", "3"}) {
    auto o = run({"run", "rate-limit", "--variant", "sliding-log", "--clients", "10", "--param",
                  "identities=1", "--param", "arrival=1000", "--param", "burst-at-boundary=0",
                  "--time", "10s", "--seed", seed});
    ASSERT_TRUE(o.exit_code == 0 || o.exit_code == 1) << o.out << o.err;
    if (o.exit_code == 1) {
      EXPECT_GT(count(checker(), "over-admission"), 0);
      return;
    }
    outputs += o.out;
  }
  FAIL() << "no seed of three over-admitted:\n" << outputs;
}

// F8: the process dies between INCR and PEXPIRE; the counter never expires and the identity is
// throttled for ever, which the rejections long after prove.
TEST_F(RunRateLimit, FixedWindowCrashBetweenIncrAndExpireThrottlesForEver) {
  auto o = run({"run", "rate-limit", "--variant", "fixed-window", "--fault", "pause-client",
                "--time", "10s", "--seed", "1"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  auto c = checker();
  EXPECT_GT(count(c, "under-admission"), 0) << c.dump();
  EXPECT_NE(slurp(latest() / "history.jsonl").find("\"f\":\"crash\""), std::string::npos);
}

// F3: a restart without persistence empties the limiter, which admits a second window's worth.
TEST_F(RunRateLimit, KillRestartMakesTheLuaSlidingLogOverAdmit) {
  auto o = run({"run", "rate-limit", "--variant", "sliding-log-lua", "--fault", "kill-restart",
                "--time", "10s", "--seed", "1"});
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_GT(count(checker(), "over-admission"), 0);
}

// The user's own Lua: a correct token bucket with its own ARGV order stays valid; the same
// script with time truncated to whole seconds is caught.
TEST_F(RunRateLimit, UserTokenBucketIsJudgedAndItsWholeSecondBugIsCaught) {
  auto good = run({"run", "rate-limit", "--variant", "token-bucket-lua", "--time", "8s", "--seed",
                   "1", "--script", kScripts + "/token_bucket.lua", "--script-argv",
                   "{rate} {capacity} {tokens}"});
  ASSERT_EQ(good.exit_code, 0) << good.out << good.err;
  EXPECT_GT(checker()["admitted"].get<int>(), 50);
  auto bad = run({"run", "rate-limit", "--variant", "token-bucket-lua", "--time", "8s", "--seed",
                  "1", "--script", kScripts + "/token_bucket_whole_seconds.lua", "--script-argv",
                  "{rate} {capacity} {tokens}"});
  ASSERT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_GT(count(checker(), "over-admission"), 0);
}

TEST_F(RunRateLimit, AScriptThatErrsMakesItsRequestsInfoWithTheReply) {
  const std::string path = (scratch_ / "broken.lua").string();
  std::ofstream(path) << "return redis.call('NOSUCHCOMMAND', KEYS[1])\n";
  auto o = run({"run", "rate-limit", "--variant", "gcra-lua", "--time", "2s", "--script", path});
  EXPECT_NE(o.exit_code, 2) << o.err;
  const std::string history = slurp(latest() / "history.jsonl");
  EXPECT_NE(history.find("\"type\":\"info\""), std::string::npos);
  EXPECT_NE(history.find("script error"), std::string::npos);
  EXPECT_EQ(checker()["admitted"], 0);
}

TEST_F(RunRateLimit, BadInputIsOneLineAndExitTwo) {
  const std::string script = kScripts + "/token_bucket.lua";
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"run", "rate-limit", "--variant", "fixed-window", "--script", script},
           {"run", "rate-limit", "--variant", "gcra-lua", "--script", script, "--script-argv",
            "{capacity} {speed}"},
           {"run", "rate-limit", "--param", "window=soon"},
           {"run", "rate-limit", "--variant", "leaky-bucket"},
       }) {
    auto o = run(args);
    EXPECT_EQ(o.exit_code, 2) << args[3] << ": " << o.out << o.err;
    EXPECT_FALSE(o.err.empty());
    EXPECT_LE(std::count(o.err.begin(), o.err.end(), '\n'), 2) << o.err;
  }
}

}  // namespace
}  // namespace redproof
