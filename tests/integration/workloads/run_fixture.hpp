// A scratch directory per test and `redproof run` into it: the fixture of the end-to-end runs of
// the pattern workloads (each starts its own redis-server through the redproof binary).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/integration/driver/redproof_process.hpp"

namespace redproof::testing {

const std::string kWorkloadScripts =
    std::string(REDPROOF_SOURCE_DIR) + "/tests/integration/workloads/scripts";

class RunWorkload : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::filesystem::temp_directory_path() /
               ("redproof-wl-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(scratch_);
  }

  Outcome run(std::vector<std::string> args) {
    args.push_back("--results-dir");
    args.push_back((scratch_ / "results").string());
    return run_redproof(args, scratch_.string());
  }
  std::filesystem::path latest() const {
    return std::filesystem::canonical(scratch_ / "results" / "latest");
  }
  nlohmann::json checker(const std::string& name) const {
    return nlohmann::json::parse(slurp(latest() / "results.json"))["checkers"][name];
  }
  static std::int64_t count(const nlohmann::json& checker, const char* anomaly) {
    return checker["anomaly_counts"].value(anomaly, 0);
  }

  // Runs `args` with --seed 1, 2, ... up to `seeds` until one exits invalid (1); returns the
  // outputs of the seeds that did not, for the failure message. A race that needs luck with
  // timing on a loaded machine gets a few seeds, as the nightly plan's min_seeds does.
  std::string first_invalid_seed(const std::vector<std::string>& args, int seeds) {
    std::string outputs;
    for (int seed = 1; seed <= seeds; ++seed) {
      std::vector<std::string> a = args;
      a.insert(a.end(), {"--seed", std::to_string(seed)});
      const Outcome o = run(a);
      EXPECT_TRUE(o.exit_code == 0 || o.exit_code == 1) << o.out << o.err;
      if (o.exit_code == 1) return {};
      outputs += o.out;
    }
    return outputs.empty() ? "no output" : outputs;
  }

  std::filesystem::path scratch_;
};

}  // namespace redproof::testing
