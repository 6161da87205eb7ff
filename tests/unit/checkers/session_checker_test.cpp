#include "checkers/session_checker.hpp"

#include <gtest/gtest.h>

#include "history_builder.hpp"

namespace redproof {
namespace {

using namespace testing_history;
constexpr const char* kTtl = R"({"ttl_ms":1000})";
constexpr std::int64_t kMs = 1'000'000;

std::int64_t count(const CheckResult& r, const std::string& name) {
  return r.details["anomaly_counts"].value(name, std::int64_t{0});
}

TEST(SessionChecker, ARefreshAfterALogoutThatFindsDataIsResurrected) {
  Builder h;
  h.add(0, 0, kInv, "login", "s", kTtl).add(1 * kMs, 0, kOk, "login", "s");
  h.add(2 * kMs, 0, kInv, "logout", "s").add(3 * kMs, 0, kOk, "logout", "s");
  h.add(4 * kMs, 1, kInv, "refresh", "s", kTtl)
      .add(5 * kMs, 1, kOk, "refresh", "s", R"({"user":"u"})");
  auto r = SessionChecker(1000).check(h.ops());
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(count(r, "resurrected-session"), 1);
  EXPECT_EQ(r.anomalies.at(0).ops, (std::vector<std::int64_t>{2, 4, 5}));
}

TEST(SessionChecker, ALoginThatMayComeAfterTheLogoutExplainsTheData) {
  for (OpType login_outcome : {kOk, kInfo}) {
    Builder h;
    h.add(0, 2, kInv, "login", "s", kTtl);  // overlaps the logout
    h.add(1 * kMs, 0, kInv, "logout", "s").add(2 * kMs, 0, kOk, "logout", "s");
    h.add(3 * kMs, 2, login_outcome, "login", "s");
    h.add(4 * kMs, 1, kInv, "refresh", "s", kTtl)
        .add(5 * kMs, 1, kOk, "refresh", "s", R"({"user":"u"})");
    EXPECT_EQ(SessionChecker(1000).check(h.ops()).valid, Validity::kValid);
  }
}

TEST(SessionChecker, ARefreshOverlappingTheLogoutMayPrecedeIt) {
  Builder h;
  h.add(0, 0, kInv, "login", "s", kTtl).add(1 * kMs, 0, kOk, "login", "s");
  h.add(2 * kMs, 1, kInv, "refresh", "s", kTtl);
  h.add(3 * kMs, 0, kInv, "logout", "s").add(4 * kMs, 0, kOk, "logout", "s");
  h.add(5 * kMs, 1, kOk, "refresh", "s", R"({"user":"u"})");
  EXPECT_EQ(SessionChecker(1000).check(h.ops()).valid, Validity::kValid);
}

TEST(SessionChecker, NullWellBeforeTheTtlIsAForcedLogout) {
  Builder h;
  h.add(0, 0, kInv, "login", "s", kTtl).add(1 * kMs, 0, kOk, "login", "s");
  h.add(500 * kMs, 1, kInv, "refresh", "s", kTtl).add(501 * kMs, 1, kOk, "refresh", "s");
  auto r = SessionChecker(1000).check(h.ops());
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(count(r, "forced-logout"), 1);
}

TEST(SessionChecker, TheTtlSlidesFromTheLastRefreshInvoke) {
  Builder h;
  h.add(0, 0, kInv, "login", "s", kTtl).add(1 * kMs, 0, kOk, "login", "s");
  h.add(800 * kMs, 0, kInv, "refresh", "s", kTtl)
      .add(801 * kMs, 0, kOk, "refresh", "s", R"({"user":"u"})");
  // Past the login's TTL, within the refresh's: certainly forced.
  h.add(1500 * kMs, 1, kInv, "refresh", "s", kTtl).add(1700 * kMs, 1, kOk, "refresh", "s");
  EXPECT_EQ(count(SessionChecker(1000).check(h.ops()), "forced-logout"), 1);
}

TEST(SessionChecker, ARefreshCompletingExactlyAtItsTtlIsNotForced) {
  Builder h;
  h.add(0, 0, kInv, "login", "s", kTtl).add(1 * kMs, 0, kOk, "login", "s");
  h.add(900 * kMs, 1, kInv, "refresh", "s", kTtl).add(1000 * kMs, 1, kOk, "refresh", "s");
  EXPECT_EQ(SessionChecker(1000).check(h.ops()).valid, Validity::kValid);
  Builder early;
  early.add(0, 0, kInv, "login", "s", kTtl).add(1 * kMs, 0, kOk, "login", "s");
  early.add(900 * kMs, 1, kInv, "refresh", "s", kTtl).add(1000 * kMs - 1, 1, kOk, "refresh", "s");
  EXPECT_EQ(SessionChecker(1000).check(early.ops()).valid, Validity::kInvalid);
}

TEST(SessionChecker, ALogoutThatMayHaveRunExplainsTheNull) {
  for (OpType logout_outcome : {kOk, kInfo, kFail}) {
    Builder h;
    h.add(0, 0, kInv, "login", "s", kTtl).add(1 * kMs, 0, kOk, "login", "s");
    h.add(2 * kMs, 2, kInv, "logout", "s").add(3 * kMs, 2, logout_outcome, "logout", "s");
    h.add(4 * kMs, 1, kInv, "refresh", "s", kTtl).add(5 * kMs, 1, kOk, "refresh", "s");
    EXPECT_EQ(SessionChecker(1000).check(h.ops()).valid,
              logout_outcome == kFail ? Validity::kInvalid : Validity::kValid);
  }
}

TEST(SessionChecker, ALoginStillInFlightSetsNoDeadline) {
  Builder h;
  h.add(0, 0, kInv, "login", "s", kTtl);
  h.add(4 * kMs, 1, kInv, "refresh", "s", kTtl).add(5 * kMs, 1, kOk, "refresh", "s");
  h.add(6 * kMs, 0, kOk, "login", "s");
  EXPECT_EQ(SessionChecker(1000).check(h.ops()).valid, Validity::kValid);
}

TEST(SessionChecker, AShorterTtlThatMayHaveBeenSetLaterIsHonoured) {
  Builder h;
  h.add(0, 0, kInv, "login", "s", kTtl).add(1 * kMs, 0, kOk, "login", "s");
  h.add(2 * kMs, 2, kInv, "refresh", "s", R"({"ttl_ms":10})");  // unknown outcome
  h.add(3 * kMs, 2, kInfo, "refresh", "s");
  h.add(100 * kMs, 1, kInv, "refresh", "s", kTtl).add(101 * kMs, 1, kOk, "refresh", "s");
  EXPECT_EQ(SessionChecker(1000).check(h.ops()).valid, Validity::kValid);
}

}  // namespace
}  // namespace redproof
