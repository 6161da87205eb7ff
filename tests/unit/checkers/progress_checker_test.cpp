// The progress checker: a run where nothing succeeded is unknown, not valid.
#include "checkers/progress_checker.hpp"

#include <gtest/gtest.h>

namespace redproof {
namespace {

Op event(std::int64_t process, OpType type, const std::string& f) {
  Op o;
  o.process = process;
  o.type = type;
  o.f = f;
  return o;
}

TEST(ProgressChecker, OneSuccessIsEnough) {
  std::vector<Op> h = {event(0, OpType::kInvoke, "acquire"), event(0, OpType::kFail, "acquire"),
                       event(1, OpType::kInvoke, "acquire"), event(1, OpType::kOk, "acquire")};
  CheckResult r = ProgressChecker().check(h);
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["ok"], 1);
  EXPECT_EQ(r.details["by_f"]["acquire"]["fail"], 1);
}

TEST(ProgressChecker, NothingSucceededIsUnknownAndSaysSo) {
  Op nemesis = event(kNemesisProcess, OpType::kInfo, "pause");
  std::vector<Op> h = {event(0, OpType::kInvoke, "acquire"), event(0, OpType::kFail, "acquire"),
                       nemesis, event(1, OpType::kInvoke, "read"), event(1, OpType::kInfo, "read")};
  CheckResult r = ProgressChecker().check(h);
  EXPECT_EQ(r.valid, Validity::kUnknown);
  EXPECT_NE(r.details["error"].get<std::string>().find("no client operation succeeded"),
            std::string::npos);
  EXPECT_EQ(r.details["by_f"]["read"]["info"], 1);
  EXPECT_FALSE(r.details["by_f"].contains("pause"));
}

TEST(ProgressChecker, AnEmptyHistoryIsUnknown) {
  EXPECT_EQ(ProgressChecker().check({}).valid, Validity::kUnknown);
}

}  // namespace
}  // namespace redproof
