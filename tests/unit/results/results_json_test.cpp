#include "results/results_json.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "tests/unit/results/sample_run.hpp"

namespace redproof {
namespace {

TEST(ResultsJson, HasTheContractShape) {
  const nlohmann::json j = results_json(testing::sample_run(1));
  EXPECT_EQ(j["valid"], false);
  ASSERT_TRUE(j["checkers"].is_object());
  EXPECT_EQ(j["checkers"]["double-holder"]["valid"], false);
  EXPECT_EQ(j["checkers"]["double-holder"]["anomalies"][0]["magnitude"]["overlap_ms"], 212.4);
  // Every checker's anomalies also together at the top, each naming its checker.
  ASSERT_EQ(j["anomalies"].size(), 2u);
  EXPECT_EQ(j["anomalies"][0]["name"], "double-holder");
  EXPECT_EQ(j["anomalies"][0]["checker"], "double-holder");
  EXPECT_EQ(j["anomalies"][1]["name"], "slo-breach");
  EXPECT_EQ(j["anomalies"][1]["checker"], "latency");
  EXPECT_EQ(j["checkers"]["latency"]["valid"], false);
  EXPECT_EQ(j["stats"]["duration_s"], 3.0);
  EXPECT_EQ(j["stats"]["interrupted"], false);
}

TEST(ResultsJson, ValidityIsSpelledTrueFalseOrUnknown) {
  RunRecord r = testing::sample_run(0);
  r.valid = Validity::kValid;
  r.checks[0].second.valid = Validity::kUnknown;
  const nlohmann::json j = results_json(r);
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["checkers"]["double-holder"]["valid"], "unknown");
}

TEST(ResultsJson, CountsOperationsByFunctionAndOutcome) {
  const nlohmann::json stats = results_json(testing::sample_run(1))["stats"];
  // 300 acquires: every 50th from 7 is info (6), every 10th from 3 is fail (30), the rest ok.
  EXPECT_EQ(stats["operations"]["acquire"]["info"], 6);
  EXPECT_EQ(stats["operations"]["acquire"]["fail"], 30);
  EXPECT_EQ(stats["operations"]["acquire"]["ok"], 264);
  EXPECT_EQ(stats["completed"]["total"], 300);
  EXPECT_DOUBLE_EQ(stats["ops_per_s"].get<double>(), 100.0);
  // Latency counts ok and fail only; every operation took 1.000 to 1.299 ms.
  const auto& latency = stats["latency"];
  EXPECT_EQ(latency["count"], 294);
  EXPECT_GE(latency["p50_ns"].get<std::int64_t>(), 1'000'000);
  EXPECT_LE(latency["max_ns"].get<std::int64_t>(), 1'300'000);
  EXPECT_GE(latency["max_ns"].get<std::int64_t>(), latency["p999_ns"].get<std::int64_t>());
}

TEST(ResultsJson, HarnessCpuPerOperation) {
  RunRecord r = testing::sample_run(1);
  EXPECT_FALSE(results_json(r)["stats"].contains("client_cpu"));
  r.stats["client_cpu"] = {{"user_s", 0.02}, {"system_s", 0.01}};
  const nlohmann::json cpu = results_json(r)["stats"]["client_cpu"];
  EXPECT_DOUBLE_EQ(cpu["us_per_op"].get<double>(), 100.0);  // 30 ms over 300 operations
  EXPECT_DOUBLE_EQ(cpu["busy"].get<double>(), 0.01);        // over 3 s
}

// Open loop: "latency" counts from the intended start, the uncorrected figures and the backlog
// (sends 1 ms or more late) beside it; without a schedule neither appears.
TEST(ResultsJson, OpenLoopRunsReportUncorrectedLatencyAndBacklog) {
  RunRecord r = testing::sample_run(1);
  EXPECT_FALSE(results_json(r)["stats"].contains("latency_uncorrected"));
  int late = 0;
  for (auto& op : r.history) {
    if (op.is_nemesis() || !op.is_invoke()) continue;
    op.intended = op.time;
    if (op.time >= 100'000'000 && late < 3) op.intended = op.time - 50'000'000, ++late;
  }
  const nlohmann::json stats = results_json(r)["stats"];
  ASSERT_TRUE(stats.contains("latency_uncorrected"));
  EXPECT_EQ(stats["backlog"], 3);
  EXPECT_LE(stats["latency_uncorrected"]["max_ns"].get<std::int64_t>(), 1'300'000);
  EXPECT_GE(stats["latency"]["max_ns"].get<std::int64_t>(), 50'000'000);
}

TEST(ResultsJson, IsStrictJsonEvenWhenFiguresAreNotFinite) {
  RunRecord r = testing::sample_run(1);
  r.stats["duration_s"] = std::numeric_limits<double>::quiet_NaN();
  r.stats["weird"] = {std::numeric_limits<double>::infinity(), 1.5};
  r.checks[0].second.details["ratio"] = -std::numeric_limits<double>::infinity();
  const nlohmann::json j = results_json(r);
  const std::string text = j.dump(2);
  for (const char* bad : {"NaN", "Infinity", "nan,", "inf,"}) {
    EXPECT_EQ(text.find(bad), std::string::npos) << bad << "\n" << text;
  }
  // nlohmann's parser is strict: it rejects NaN and Infinity literals.
  nlohmann::json back;
  ASSERT_NO_THROW(back = nlohmann::json::parse(text));
  EXPECT_TRUE(back["stats"]["weird"][0].is_null());
  EXPECT_EQ(back["stats"]["weird"][1], 1.5);
  EXPECT_TRUE(back["checkers"]["double-holder"]["ratio"].is_null());
  EXPECT_EQ(back["stats"]["ops_per_s"], 0.0);  // no usable duration: no rate, not NaN
}

TEST(ResultsJson, AnEmptyRunIsStillStrict) {
  RunRecord r;
  const nlohmann::json j = results_json(r);
  EXPECT_EQ(j["valid"], "unknown");
  EXPECT_TRUE(j["checkers"].empty());
  EXPECT_EQ(j["stats"]["latency"]["mean_ns"], 0);
  EXPECT_EQ(j["stats"]["ops_per_s"], 0.0);
  nlohmann::json back;
  EXPECT_NO_THROW(back = nlohmann::json::parse(j.dump()));
}

}  // namespace
}  // namespace redproof
