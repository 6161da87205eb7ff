#include "checkers/leaderboard_checker.hpp"

#include <gtest/gtest.h>

#include "history_builder.hpp"

namespace redproof {
namespace {

using namespace testing_history;

std::int64_t count(const CheckResult& r, const std::string& name) {
  return r.details["anomaly_counts"].value(name, std::int64_t{0});
}

// Two increments of m1 by 2 and 3 (ok), then whatever `more` adds, then a final read.
CheckResult check_final(
    const std::string& final_value, void (*more)(Builder&) = [](Builder&) {}) {
  Builder h;
  h.add(10, 0, kInv, "incr", "b", R"({"member":"m1","by":2})").add(20, 0, kOk, "incr", "b", "2");
  h.add(30, 1, kInv, "incr", "b", R"({"member":"m1","by":3})").add(40, 1, kOk, "incr", "b", "5");
  more(h);
  h.add(1000, 9, kInv, "read", "b").add(1010, 9, kOk, "read", "b", final_value);
  return LeaderboardChecker().check(h.ops());
}

TEST(LeaderboardChecker, TheFinalScoreIsTheSumOfAcknowledgedIncrements) {
  EXPECT_EQ(check_final(R"({"m1":5})").valid, Validity::kValid);
  auto lost = check_final(R"({"m1":2})");
  EXPECT_EQ(lost.valid, Validity::kInvalid);
  EXPECT_EQ(count(lost, "lost-increment"), 1);
  EXPECT_EQ(lost.anomalies.at(0).magnitude["acknowledged"], 5);
  EXPECT_EQ(count(check_final("{}"), "lost-increment"), 1);  // the whole board gone
  EXPECT_EQ(count(check_final(R"({"m1":7})"), "double-count"), 1);
  EXPECT_EQ(count(check_final(R"({"m1":5,"m9":1})"), "double-count"), 1);  // never incremented
}

TEST(LeaderboardChecker, AnIncrementOfUnknownOutcomeMayOrMayNotCount) {
  auto unknown = [](Builder& h) {
    h.add(50, 2, kInv, "incr", "b", R"({"member":"m1","by":4})").add(60, 2, kInfo, "incr", "b");
  };
  EXPECT_EQ(check_final(R"({"m1":5})", unknown).valid, Validity::kValid);
  EXPECT_EQ(check_final(R"({"m1":9})", unknown).valid, Validity::kValid);
  EXPECT_EQ(count(check_final(R"({"m1":10})", unknown), "double-count"), 1);
  EXPECT_EQ(count(check_final(R"({"m1":4})", unknown), "lost-increment"), 1);
  auto in_flight = [](Builder& h) { h.add(50, 2, kInv, "incr", "b", R"({"member":"m1","by":4})"); };
  EXPECT_EQ(check_final(R"({"m1":9})", in_flight).valid, Validity::kValid);
  auto failed = [](Builder& h) {
    h.add(50, 2, kInv, "incr", "b", R"({"member":"m1","by":4})").add(60, 2, kFail, "incr", "b");
  };
  EXPECT_EQ(count(check_final(R"({"m1":9})", failed), "double-count"), 1);
}

TEST(LeaderboardChecker, AnIncrementOverlappingTheFinalReadIsOnlyPossible) {
  Builder h;
  h.add(10, 0, kInv, "incr", "b", R"({"member":"m1","by":2})");
  h.add(20, 9, kInv, "read", "b");
  h.add(30, 0, kOk, "incr", "b", "2");
  h.add(40, 9, kOk, "read", "b", "{}");
  EXPECT_EQ(LeaderboardChecker().check(h.ops()).valid, Validity::kValid);
}

TEST(LeaderboardChecker, ATopScoreOutsideItsBoundsIsImpossible) {
  Builder h;
  h.add(10, 0, kInv, "incr", "b", R"({"member":"m1","by":2})").add(20, 0, kOk, "incr", "b", "2");
  h.add(30, 1, kInv, "incr", "b", R"({"member":"m2","by":1})");
  h.add(40, 5, kInv, "top", "b", "2").add(50, 5, kOk, "top", "b", R"([["m1",2],["m2",1]])");
  h.add(60, 6, kInv, "top", "b", "2").add(70, 6, kOk, "top", "b", R"([["m2",1]])");  // m1 gone
  h.add(80, 7, kInv, "top", "b", "2").add(90, 7, kOk, "top", "b", R"([["m2",3]])");  // too high
  h.add(95, 1, kOk, "incr", "b", "1");
  h.add(100, 9, kInv, "read", "b").add(110, 9, kOk, "read", "b", R"({"m1":2,"m2":1})");
  auto r = LeaderboardChecker().check(h.ops());
  EXPECT_EQ(count(r, "impossible-score"), 1);  // m2 at 3; m1 absent from a top is no score
  EXPECT_EQ(r.anomalies.at(0).ops, (std::vector<std::int64_t>{7, 8}));
}

TEST(LeaderboardChecker, IncrementsInAnyJsonShapeCount) {
  Builder h;
  h.add(10, 0, kInv, "incr", "b", R"({"by": 4, "member": "m\"1"})").add(20, 0, kOk, "incr", "b");
  h.add(30, 1, kInv, "incr", "b", R"({"member":"m\"1","by":1})").add(40, 1, kOk, "incr", "b");
  h.add(100, 9, kInv, "read", "b").add(110, 9, kOk, "read", "b", R"({"m\"1":5})");
  EXPECT_EQ(LeaderboardChecker().check(h.ops()).valid, Validity::kValid);
}

TEST(LeaderboardChecker, NoFinalReadLeavesItUndecided) {
  Builder h;
  h.add(10, 0, kInv, "incr", "b", R"({"member":"m1","by":2})").add(20, 0, kOk, "incr", "b", "2");
  EXPECT_EQ(LeaderboardChecker().check(h.ops()).valid, Validity::kUnknown);
}

}  // namespace
}  // namespace redproof
