#include "checkers/stampede_checker.hpp"

#include <gtest/gtest.h>

namespace redproof {
namespace {

constexpr std::int64_t kMs = 1'000'000;

std::vector<Op> reads(const std::vector<std::tuple<std::int64_t, std::int64_t, std::string>>& rs,
                      const std::string& key = "hot:{0}") {
  // Each read on its own process: invokes then completions, in time order.
  std::vector<std::tuple<std::int64_t, int, std::size_t>> events;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    events.emplace_back(std::get<0>(rs[i]), 0, i);
    events.emplace_back(std::get<1>(rs[i]), 1, i);
  }
  std::sort(events.begin(), events.end());
  std::vector<Op> out;
  for (auto [t, done, i] : events) {
    Op o;
    o.index = static_cast<std::int64_t>(out.size());
    o.time = t;
    o.process = static_cast<std::int64_t>(i);
    o.type = done ? OpType::kOk : OpType::kInvoke;
    o.f = "read";
    o.key = key;
    if (done) o.value = R"({"version":0,"source":")" + std::get<2>(rs[i]) + "\"}";
    out.push_back(o);
  }
  return out;
}

TEST(StampedeChecker, OverlappingRebuildsOfOneKeyAreAHerd) {
  StampedeChecker c;
  auto r = c.check(reads({{0, 50 * kMs, "db"},
                          {10 * kMs, 60 * kMs, "db"},
                          {55 * kMs, 100 * kMs, "db"},  // chained through the second
                          {20 * kMs, 21 * kMs, "stale"},
                          {900 * kMs, 950 * kMs, "db"}}));  // the next expiry, alone
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].name, "herd");
  EXPECT_EQ(r.anomalies[0].magnitude["rebuilds"], 3);
  EXPECT_EQ(r.details["expiries"], 2);
  EXPECT_EQ(r.details["rebuilds_per_expiry_max"], 3);
  EXPECT_EQ(r.details["read_latency_around_expiries"]["reads"], 5);  // every one overlaps a rebuild
  EXPECT_EQ(r.details["read_latency_otherwise"]["reads"], 0);
  EXPECT_NE(r.anomalies[0].sentence.find("3 readers of hot:{0}"), std::string::npos);
}

TEST(StampedeChecker, ARebuildStartingTheInstantAnotherEndedIsNoHerd) {
  StampedeChecker c;
  auto r = c.check(reads({{0, 50 * kMs, "db"}, {50 * kMs, 90 * kMs, "db"}}));
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["expiries"], 2);
}

TEST(StampedeChecker, CacheHitsAndStaleServesNeverMakeAHerd) {
  StampedeChecker c;
  auto r = c.check(reads({{0, 50 * kMs, "db"},
                          {1 * kMs, 2 * kMs, "stale"},
                          {3 * kMs, 60 * kMs, "cache"},
                          {5 * kMs, 70 * kMs, "cache"}}));
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["db_loads"], 1);
}

TEST(StampedeChecker, DifferentKeysNeverHerdTogether) {
  auto a = reads({{0, 50 * kMs, "db"}}, "hot:{0}");
  auto b = reads({{10 * kMs, 60 * kMs, "db"}}, "hot:{1}");
  for (auto& o : b) {
    o.process += 10;
    o.index += 2;
    a.push_back(o);
  }
  std::stable_sort(a.begin(), a.end(), [](const Op& x, const Op& y) { return x.time < y.time; });
  for (std::size_t i = 0; i < a.size(); ++i) a[i].index = static_cast<std::int64_t>(i);
  StampedeChecker c;
  EXPECT_EQ(c.check(a).valid, Validity::kValid);
}

}  // namespace
}  // namespace redproof
