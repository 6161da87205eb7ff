// End-to-end runs of the queue workload against a real redis-server that redproof starts: the
// gate cells of ci/cells/queue-gate.json (until `redproof suite` runs them), an offline re-check,
// and a bad knob.
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

class RunQueue : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() /
               ("redproof-queue-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(scratch_);
  }
  Outcome run(const std::string& variant, const std::string& fault, int seed = 1) {
    return run_redproof(
        {"run", "queue", "--variant", variant, "--fault", fault, "--time", "6s", "--seed",
         std::to_string(seed), "--results-dir", (scratch_ / "results").string()},
        scratch_.string(), {});
  }
  nlohmann::json results() const {
    return nlohmann::json::parse(
        slurp(fs::canonical(scratch_ / "results" / "latest") / "results.json"));
  }
  std::int64_t count(const char* anomaly) const {
    return results()["checkers"]["queue"]["anomaly_counts"].value(anomaly, std::int64_t{0});
  }
  fs::path scratch_;
};

TEST_F(RunQueue, EveryVariantWithoutFaultsIsValid) {
  for (const char* v : {"list-brpop", "list-blmove", "stream"}) {
    auto o = run(v, "none");
    EXPECT_EQ(o.exit_code, 0) << v << o.out << o.err;
    EXPECT_GT(results()["checkers"]["queue"]["acked"].get<int>(), 100) << v;
  }
}

TEST_F(RunQueue, BrpopLosesTheJobOfAConsumerThatDiesAfterThePop) {
  auto o = run("list-brpop", "pause-client");
  ASSERT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_GT(count("lost"), 0);
}

TEST_F(RunQueue, AtLeastOnceVariantsRecoverTheJobOfADeadConsumer) {
  for (const char* v : {"list-blmove", "stream"}) {
    auto o = run(v, "pause-client");
    EXPECT_EQ(o.exit_code, 0) << v << o.out << o.err;
    EXPECT_EQ(count("lost"), 0) << v;
    EXPECT_TRUE(results()["checkers"]["queue"].contains("duplicated")) << v;
  }
}

TEST_F(RunQueue, ARestartWithoutPersistenceLosesAcknowledgedMessages) {
  for (const char* v : {"list-brpop", "list-blmove", "stream"}) {
    auto o = run(v, "kill-restart");
    EXPECT_EQ(o.exit_code, 1) << v << o.out << o.err;
    EXPECT_GT(count("lost"), 0) << v;
  }
}

TEST_F(RunQueue, ABadKnobIsOneLineAndExitTwo) {
  auto o = run_redproof({"run", "queue", "--param", "producers=1", "--time", "2s", "--results-dir",
                         (scratch_ / "results").string()},
                        scratch_.string(), {});
  EXPECT_EQ(o.exit_code, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("producers"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace redproof
