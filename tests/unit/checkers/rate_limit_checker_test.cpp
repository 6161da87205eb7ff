// The rate-limit checker on hand-made histories: the edges patterns.md names (a set spanning
// exactly one window, info requests, a bucket exactly at C + r*s, a rejection that is certain
// under-admission and one that is not).
#include "checkers/rate_limit_checker.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace redproof {
namespace {

constexpr std::int64_t kMs = 1'000'000;

// Builds a history from requests given as (invoke ms, completion ms, outcome), each on its own
// process, sorted by time with indexes assigned.
class HistoryBuilder {
 public:
  // outcome: "true", "false", "info", "fail", or "" for an invoke never completed.
  HistoryBuilder& request(double inv_ms, double end_ms, const std::string& outcome,
                          const std::string& key = "rl:{0}") {
    const std::int64_t p = next_process_++;
    events_.push_back(event(inv_ms, p, OpType::kInvoke, "null", key));
    if (outcome == "true" || outcome == "false") {
      events_.push_back(event(end_ms, p, OpType::kOk, outcome, key));
    } else if (outcome == "info") {
      events_.push_back(event(end_ms, p, OpType::kInfo, "null", key));
    } else if (outcome == "fail") {
      events_.push_back(event(end_ms, p, OpType::kFail, "null", key));
    }
    return *this;
  }
  std::vector<Op> build() const {
    std::vector<Op> h = events_;
    std::stable_sort(h.begin(), h.end(), [](const Op& a, const Op& b) { return a.time < b.time; });
    for (std::size_t i = 0; i < h.size(); ++i) h[i].index = static_cast<std::int64_t>(i);
    return h;
  }

 private:
  static Op event(double ms, std::int64_t process, OpType type, std::string value,
                  const std::string& key) {
    Op o;
    o.time = static_cast<std::int64_t>(ms * kMs);
    o.process = process;
    o.type = type;
    o.f = "request";
    o.key = key;
    o.value = std::move(value);
    return o;
  }
  std::vector<Op> events_;
  std::int64_t next_process_ = 0;
};

RateLimitOptions sliding(std::int64_t limit, std::int64_t window_ms) {
  RateLimitOptions o;
  o.kind = RateLimitKind::kSlidingWindow;
  o.limit = limit;
  o.window_ns = window_ms * kMs;
  return o;
}

RateLimitOptions bucket(double capacity, double rate) {
  RateLimitOptions o;
  o.kind = RateLimitKind::kTokenBucket;
  o.capacity = capacity;
  o.rate_per_s = rate;
  return o;
}

std::vector<std::string> names(const CheckResult& r) {
  std::vector<std::string> out;
  for (const auto& a : r.anomalies) out.push_back(a.name);
  return out;
}

TEST(RateLimitChecker, AdmissionsSpanningExactlyOneWindowAreNotAViolation) {
  // 4 admitted with a limit of 3 per 1000 ms: earliest invoke 0, latest ok 1000.
  HistoryBuilder h;
  h.request(0, 1, "true").request(300, 301, "true").request(600, 601, "true");
  h.request(999, 1000, "true");
  RateLimitChecker c(sliding(3, 1000));
  auto r = c.check(h.build());
  EXPECT_EQ(r.valid, Validity::kValid) << r.details.dump();
  EXPECT_TRUE(r.anomalies.empty());
}

TEST(RateLimitChecker, FourAdmissionsWithinLessThanTheWindowAreOverAdmission) {
  HistoryBuilder h;
  h.request(0.001, 1, "true").request(300, 301, "true").request(600, 601, "true");
  h.request(999, 1000, "true");
  RateLimitChecker c(sliding(3, 1000));
  auto r = c.check(h.build());
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_EQ(names(r), std::vector<std::string>{"over-admission"});
  const Anomaly& a = r.anomalies[0];
  EXPECT_EQ(a.key, "rl:{0}");
  EXPECT_EQ(a.magnitude["admitted"], 4);
  EXPECT_EQ(a.magnitude["bound"], 3.0);
  EXPECT_EQ(a.ops.size(), 8u);  // every member's invoke and ok
  EXPECT_NE(a.sentence.find("4 requests on rl:{0} were admitted within"), std::string::npos);
}

TEST(RateLimitChecker, InfoRequestsAreNeverCountedAsAdmitted) {
  HistoryBuilder h;
  h.request(0, 1, "true").request(2, 3, "true").request(4, 5, "true");
  h.request(6, 7, "info").request(8, 0, "").request(9, 10, "fail");
  RateLimitChecker c(sliding(3, 1000));
  auto r = c.check(h.build());
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["admitted"], 3);
  EXPECT_EQ(r.details["unknown"], 2);
}

TEST(RateLimitChecker, ARequestLastingAWindowMayHaveTakenEffectOutsideIt) {
  // The first admission could have happened at its invoke, 1000 ms before the others' oks.
  HistoryBuilder h;
  h.request(0, 900, "true").request(890, 891, "true").request(892, 893, "true");
  h.request(894, 1000, "true");
  RateLimitChecker c(sliding(3, 1000));
  EXPECT_EQ(c.check(h.build()).valid, Validity::kValid);
}

TEST(RateLimitChecker, OverAdmissionIsPerKey) {
  HistoryBuilder h;
  h.request(0, 1, "true", "rl:{a}").request(2, 3, "true", "rl:{b}");
  h.request(4, 5, "true", "rl:{a}").request(6, 7, "true", "rl:{b}");
  RateLimitChecker c(sliding(2, 1000));
  EXPECT_EQ(c.check(h.build()).valid, Validity::kValid);
  h.request(8, 9, "true", "rl:{b}");
  auto r = c.check(h.build());
  ASSERT_EQ(names(r), std::vector<std::string>{"over-admission"});
  EXPECT_EQ(r.anomalies[0].key, "rl:{b}");
}

TEST(RateLimitChecker, FixedWindowAtTwiceTheLimitIsABoundaryBurstNote) {
  RateLimitOptions o = sliding(3, 1000);
  o.kind = RateLimitKind::kFixedWindow;
  HistoryBuilder h;
  for (int i = 0; i < 6; ++i) h.request(990 + 4 * i, 991 + 4 * i, "true");
  RateLimitChecker c(o);
  auto r = c.check(h.build());
  EXPECT_EQ(r.valid, Validity::kValid);
  ASSERT_EQ(names(r), std::vector<std::string>{"boundary-burst"});
  EXPECT_FALSE(r.anomalies[0].violation);
  EXPECT_DOUBLE_EQ(r.anomalies[0].magnitude["factor"].get<double>(), 2.0);
  // One more within the same span is beyond what two windows allow.
  h.request(1015, 1016, "true");
  r = c.check(h.build());
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(names(r), (std::vector<std::string>{"boundary-burst", "over-admission"}));
}

TEST(RateLimitChecker, TokenBucketExactlyAtCapacityPlusRateTimesSpanIsNotAViolation) {
  // C = 5, r = 10/s, span exactly 500 ms: at most 5 + 5 = 10 admissions.
  HistoryBuilder h;
  for (int i = 0; i < 9; ++i) h.request(50 * i, 50 * i + 1, "true");
  h.request(499, 500, "true");
  RateLimitChecker c(bucket(5, 10));
  auto r = c.check(h.build());
  EXPECT_EQ(r.valid, Validity::kValid) << (r.anomalies.empty() ? "" : r.anomalies[0].sentence);
  h.request(498, 499.5, "true");
  r = c.check(h.build());
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_EQ(names(r), std::vector<std::string>{"over-admission"});
  EXPECT_EQ(r.anomalies[0].magnitude["admitted"], 11);
  EXPECT_NEAR(r.anomalies[0].magnitude["bound"].get<double>(), 10.0, 1e-9);
}

TEST(RateLimitChecker, TokenBucketFindsTheBurstAfterARefill) {
  // Full bucket drained at 0, steady 1 per 100 ms, then a second full burst (a restart) at 1 s.
  HistoryBuilder h;
  for (int i = 0; i < 5; ++i) h.request(i, i + 0.5, "true");
  for (int i = 1; i <= 10; ++i) h.request(100 * i, 100 * i + 0.5, "true");
  for (int i = 0; i < 5; ++i) h.request(1010 + i, 1010.5 + i, "true");
  RateLimitChecker c(bucket(5, 10));
  auto r = c.check(h.build());
  ASSERT_EQ(names(r), std::vector<std::string>{"over-admission"});
  EXPECT_EQ(r.anomalies[0].magnitude["admitted"], 20);
}

TEST(RateLimitChecker, ARejectionIsUnderAdmissionOnlyWhenTooFewCouldHaveBeenAdmitted) {
  // Limit 2 per 1000 ms, two admissions at 0-11 ms.
  HistoryBuilder h;
  h.request(0, 1, "true").request(10, 11, "true");
  h.request(500, 501, "false");  // both overlap [-500, 501]: a correct rejection
  RateLimitChecker c(sliding(2, 1000));
  EXPECT_EQ(c.check(h.build()).valid, Validity::kValid);
  // 1100 ms: nothing overlaps [98, 1101] (W plus 2 ms of expiry resolution): certain.
  h.request(1100, 1101, "false");
  auto r = c.check(h.build());
  ASSERT_EQ(names(r), std::vector<std::string>{"under-admission"});
  EXPECT_EQ(r.anomalies[0].magnitude["overlapping"], 0);
  EXPECT_EQ(r.anomalies[0].magnitude["rejections"], 1);
}

TEST(RateLimitChecker, UnknownRequestsMayExplainARejection) {
  HistoryBuilder h;
  h.request(900, 950, "info").request(1000, 0, "");  // may have been admitted at any time later
  h.request(1100, 1101, "false");
  RateLimitChecker c(sliding(2, 1000));
  EXPECT_EQ(c.check(h.build()).valid, Validity::kValid);
  // With only one unknown, one short of the limit: certain.
  HistoryBuilder one;
  one.request(900, 950, "info").request(1100, 1101, "false");
  auto r = c.check(one.build());
  ASSERT_EQ(names(r), std::vector<std::string>{"under-admission"});
  EXPECT_EQ(r.anomalies[0].magnitude["overlapping"], 1);
}

TEST(RateLimitChecker, BucketRejectionIsUnderAdmissionWhenNothingOverlapsCOverR) {
  // C = 2, r = 1/s: C/r = 2 s.
  HistoryBuilder h;
  h.request(0, 1, "true").request(1500, 1501, "false");
  RateLimitChecker c(bucket(2, 1));
  EXPECT_EQ(c.check(h.build()).valid, Validity::kValid);
  h.request(2500, 2501, "false");
  auto r = c.check(h.build());
  ASSERT_EQ(names(r), std::vector<std::string>{"under-admission"});
  EXPECT_EQ(r.anomalies[0].ops, (std::vector<std::int64_t>{4, 5}));
}

TEST(RateLimitChecker, AFixedWindowLastsFromItsOpenersIncrToItsExpirePlusTheWindow) {
  // Limit 2 per 1000 ms. The opener's INCR may be at 0 and its PEXPIRE at 10 ms: the request
  // admitted at 1-2 ms counted in a window that ends at 1010 ms.
  HistoryBuilder h;
  h.request(0, 10, "true").request(1, 2, "true").request(1005, 1006, "false");
  RateLimitChecker sliding_checker(sliding(2, 1000));
  EXPECT_EQ(names(sliding_checker.check(h.build())), std::vector<std::string>{"under-admission"});
  RateLimitOptions fixed = sliding(2, 1000);
  fixed.kind = RateLimitKind::kFixedWindow;
  RateLimitChecker fixed_checker(fixed);
  EXPECT_EQ(fixed_checker.check(h.build()).valid, Validity::kValid);
  // An opener that never completed (its process died before PEXPIRE) extends nothing: the
  // counter never expires, and a rejection long after is a throttle for ever.
  HistoryBuilder stuck;
  stuck.request(0, 0, "").request(1, 2, "true").request(1500, 1501, "false");
  auto r = fixed_checker.check(stuck.build());
  ASSERT_EQ(names(r), std::vector<std::string>{"under-admission"});
  EXPECT_EQ(r.anomalies[0].magnitude["overlapping"], 1);
}

TEST(RateLimitChecker, AnEmptyHistoryIsValid) {
  RateLimitChecker c(sliding(2, 1000));
  auto r = c.check({});
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["requests"], 0);
}

}  // namespace
}  // namespace redproof
