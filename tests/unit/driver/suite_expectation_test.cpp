// Reading a results.json's verdict and anomaly names, and matching them against an expectation.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "driver/suite/expectation.hpp"

namespace redproof::suite {
namespace {

using nlohmann::json;

TEST(SuiteExpectation, NamesComeFromTheTopLevelAnomalies) {
  const json r = json::parse(R"({"valid": false,
      "anomalies": [{"name": "double-holder", "checker": "double-holder"},
                    {"name": "stale-write", "checker": "double-holder"},
                    {"name": "double-holder", "checker": "double-holder"}],
      "checkers": {"double-holder": {"valid": false}, "latency": {"valid": false}}})");
  const Observed o = observe_results(r);
  EXPECT_EQ(o.valid, "false");
  // Named anomalies win over the checker fallback: "latency" is not listed.
  EXPECT_EQ(o.anomalies, (std::vector<std::string>{"double-holder", "stale-write"}));
}

TEST(SuiteExpectation, NamesComeFromEachCheckerWhenNoTopLevelList) {
  const json r = json::parse(R"({"valid": false, "checkers": {
      "linearizable": {"valid": false, "anomalies": [{"name": "not-linearizable", "checker": "linearizable"}]},
      "progress": {"valid": true, "anomalies": []}}})");
  EXPECT_EQ(observe_results(r).anomalies, std::vector<std::string>{"not-linearizable"});
}

TEST(SuiteExpectation, OlderResultsFallBackToInvalidCheckerNames) {
  const json r = json::parse(R"({"valid": false, "checkers": {
      "double-holder": {"valid": false, "violations": []}, "progress": {"valid": true},
      "latency": {"valid": "unknown"}}})");
  const Observed o = observe_results(r);
  EXPECT_EQ(o.valid, "false");
  EXPECT_EQ(o.anomalies, std::vector<std::string>{"double-holder"});
  EXPECT_EQ(observe_results(json::parse(R"({"valid": "unknown"})")).valid, "unknown");
  EXPECT_EQ(observe_results(json::parse(R"({"valid": true, "checkers": {}})")).valid, "true");
  EXPECT_EQ(observe_results(json::parse(R"([1])")).valid, "unknown");
}

TEST(SuiteExpectation, MatchesVerdictAndEveryNamedAnomaly) {
  const Observed found{"false", {"double-holder", "latency"}};
  EXPECT_FALSE(mismatch({"false", {}, 0}, found));
  EXPECT_FALSE(mismatch({"false", {"double-holder"}, 0}, found));
  EXPECT_FALSE(mismatch({"false", {"latency", "double-holder"}, 0}, found));
  EXPECT_EQ(mismatch({"false", {"double-holder", "lost-message"}, 0}, found).value_or(""),
            "anomaly \"lost-message\" not found (found: double-holder, latency)");
  EXPECT_EQ(mismatch({"true", {}, 0}, found).value_or(""),
            "expected valid=true, got false (invalid + double-holder, latency)");
  EXPECT_EQ(mismatch({"false", {"double-holder"}, 0}, Observed{"true", {}}).value_or(""),
            "expected valid=false, got true");
  EXPECT_EQ(mismatch({"false", {"a", "b"}, 0}, Observed{"false", {}}).value_or(""),
            "anomalies \"a\", \"b\" not found (found: none)");
  EXPECT_FALSE(mismatch({"unknown", {}, 0}, Observed{"unknown", {}}));
}

TEST(SuiteExpectation, DescribesVerdicts) {
  EXPECT_EQ(describe_verdict("true", {}), "valid");
  EXPECT_EQ(describe_verdict("false", {"double-holder"}), "invalid + double-holder");
  EXPECT_EQ(describe_verdict("false", {"a", "b"}), "invalid + a, b");
  EXPECT_EQ(describe_verdict("unknown", {}), "unknown");
}

}  // namespace
}  // namespace redproof::suite
