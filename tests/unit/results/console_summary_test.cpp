#include "results/console_summary.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/unit/results/sample_run.hpp"

namespace redproof {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string summary(const RunRecord& record) {
  std::ostringstream out;
  print_console_summary(out, record);
  return out.str();
}

TEST(ConsoleSummary, NamesADoubleHolderInWords) {
  const std::string text = summary(testing::sample_run(1));
  std::string violation;
  for (const auto& line : lines_of(text)) {
    if (line.find("double-holder: process") != std::string::npos) violation = line;
  }
  ASSERT_FALSE(violation.empty()) << text;
  EXPECT_NE(violation.find("lock:0"), std::string::npos) << violation;
  EXPECT_NE(violation.find("process 3"), std::string::npos) << violation;
  EXPECT_NE(violation.find("process 7"), std::string::npos) << violation;
  EXPECT_NE(violation.find("212.4"), std::string::npos) << violation;
  EXPECT_NE(violation.find("during pause-client (pause {\"process\":3})"), std::string::npos)
      << violation;
  EXPECT_NE(text.find("double-holder: INVALID"), std::string::npos) << text;
}

TEST(ConsoleSummary, ShowsAtMostFiveViolationsThenHowManyMore) {
  const std::string text = summary(testing::sample_run(8));
  int shown = 0;
  for (const auto& line : lines_of(text)) {
    if (line.find("double-holder: process") != std::string::npos) ++shown;
  }
  EXPECT_EQ(shown, 5) << text;
  EXPECT_NE(text.find("and 3 more"), std::string::npos) << text;
}

TEST(ConsoleSummary, ReportsOtherCheckersBreachesAndErrorsGenerically) {
  RunRecord r = testing::sample_run(0);
  CheckResult broken;
  broken.valid = Validity::kUnknown;
  broken.details["error"] = "checker failed: out of budget";
  r.checks.emplace_back("linearizable", broken);
  const std::string text = summary(r);
  EXPECT_NE(text.find("latency: INVALID"), std::string::npos) << text;
  EXPECT_NE(text.find("slo-breach: max was 1.30ms, breaching the SLO max<1ms"), std::string::npos)
      << text;
  EXPECT_NE(text.find("linearizable: UNKNOWN"), std::string::npos) << text;
  EXPECT_NE(text.find("checker failed: out of budget"), std::string::npos) << text;
  EXPECT_NE(text.find("double-holder: valid"), std::string::npos) << text;
}

TEST(ConsoleSummary, GivesThroughputPercentilesReportPathAndAFinalVerdict) {
  const std::string text = summary(testing::sample_run(1));
  EXPECT_NE(text.find("ops/s"), std::string::npos) << text;
  for (const char* word : {"p50 ", "p99 ", "p99.9 ", "max "}) {
    EXPECT_NE(text.find(word), std::string::npos) << word << "\n" << text;
  }
  EXPECT_NE(text.find("300 (") /* operations */, std::string::npos) << text;
  EXPECT_NE(text.find("/tmp/results/lock/get-del/pause-client/20240101T000000Z/report.html"),
            std::string::npos)
      << text;
  auto lines = lines_of(text);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "INVALID");

  RunRecord valid = testing::sample_run(0);
  valid.checks.pop_back();
  valid.valid = Validity::kValid;
  EXPECT_EQ(lines_of(summary(valid)).back(), "VALID");
  valid.valid = Validity::kUnknown;
  EXPECT_EQ(lines_of(summary(valid)).back(), "UNKNOWN");
}

}  // namespace
}  // namespace redproof
