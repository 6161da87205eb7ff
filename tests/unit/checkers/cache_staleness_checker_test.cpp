#include "checkers/cache_staleness_checker.hpp"

#include <gtest/gtest.h>

namespace redproof {
namespace {

constexpr std::int64_t kMs = 1'000'000;

// Builds a history event by event, indexes in order.
class History {
 public:
  History& add(std::int64_t time, std::int64_t process, OpType type, std::string f,
               std::string value = "null", std::string key = "item:{1}") {
    Op o;
    o.index = static_cast<std::int64_t>(ops_.size());
    o.time = time;
    o.process = process;
    o.type = type;
    o.f = std::move(f);
    o.key = std::move(key);
    o.value = std::move(value);
    ops_.push_back(std::move(o));
    return *this;
  }
  History& write(std::int64_t p, std::int64_t from, std::int64_t to, int version,
                 OpType end = OpType::kOk) {
    const std::string v = "{\"version\":" + std::to_string(version) + "}";
    add(from, p, OpType::kInvoke, "write", v);
    return add(to, p, end, "write");
  }
  History& read(std::int64_t p, std::int64_t from, std::int64_t to, int version,
                const char* source = "cache") {
    add(from, p, OpType::kInvoke, "read");
    return add(to, p, OpType::kOk, "read",
               "{\"version\":" + std::to_string(version) + ",\"source\":\"" + source + "\"}");
  }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

CheckResult check(const History& h, CacheStalenessOptions o = {}) {
  CacheStalenessChecker c(o);
  return c.check(h.ops());
}

TEST(CacheStalenessChecker, AReadOfAnOlderVersionAfterANewerWriteCompletedIsStale) {
  History h;
  h.write(0, 10 * kMs, 20 * kMs, 1).write(0, 30 * kMs, 40 * kMs, 2).read(1, 55 * kMs, 56 * kMs, 1);
  auto r = check(h);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_EQ(r.anomalies.size(), 1u);
  const Anomaly& a = r.anomalies[0];
  EXPECT_EQ(a.name, "stale-read");
  EXPECT_EQ(a.key, "item:{1}");
  EXPECT_EQ(a.magnitude["versions_behind"], 1);
  EXPECT_DOUBLE_EQ(a.magnitude["ms_after_newer_write"].get<double>(), 15.0);
  EXPECT_EQ(a.ops, (std::vector<std::int64_t>{2, 3, 4, 5}));
  EXPECT_NE(a.sentence.find("15.0 ms after the write of version 2"), std::string::npos);
}

TEST(CacheStalenessChecker, AReadInvokedExactlyWhenTheNewerWriteCompletedIsNotStale) {
  History h;
  h.write(0, 10 * kMs, 20 * kMs, 1).write(0, 30 * kMs, 40 * kMs, 2).read(1, 40 * kMs, 41 * kMs, 1);
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(CacheStalenessChecker, AReadConcurrentWithTheWriteIsNotStale) {
  History h;
  h.add(10, 0, OpType::kInvoke, "write", R"({"version":1})")
      .add(11, 1, OpType::kInvoke, "read")
      .add(12, 0, OpType::kOk, "write")
      .add(13, 1, OpType::kOk, "read", R"({"version":0,"source":"db"})");
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(CacheStalenessChecker, AWriteWithAnUnknownOutcomeNeverMakesAReadStale) {
  History h;
  h.write(0, 10, 20, 1).write(0, 30, 40, 2, OpType::kInfo).read(1, 50, 60, 1);
  h.write(2, 70, 80, 3, OpType::kFail).read(1, 90, 95, 1);
  auto r = check(h);
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["acknowledged_writes"], 1);
}

TEST(CacheStalenessChecker, AWriteNeverCompletedIsNotAcknowledged) {
  History h;
  h.write(0, 10, 20, 1).add(30, 2, OpType::kInvoke, "write", R"({"version":2})").read(1, 50, 60, 1);
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(CacheStalenessChecker, KeysAreJudgedSeparately) {
  History h;
  h.write(0, 10, 20, 5).add(30, 1, OpType::kInvoke, "read", "null", "item:{2}");
  h.add(40, 1, OpType::kOk, "read", R"({"version":0,"source":"cache"})", "item:{2}");
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(CacheStalenessChecker, AFinalDatabaseReadOlderThanAnAcknowledgedWriteIsALostWrite) {
  History h;
  h.write(0, 10, 20, 1).write(0, 30, 40, 2).write(0, 50, 60, 3, OpType::kInfo);
  h.add(100, 7, OpType::kInvoke, "db-read").add(110, 7, OpType::kOk, "db-read", R"({"version":1})");
  auto r = check(h);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  ASSERT_EQ(r.anomalies.size(), 1u);
  EXPECT_EQ(r.anomalies[0].name, "lost-write");
  EXPECT_EQ(r.anomalies[0].magnitude["acknowledged_version"], 2);
  EXPECT_EQ(r.anomalies[0].magnitude["lost_writes"], 1);
}

TEST(CacheStalenessChecker, ALaterStateThatHoldsTheWriteIsNoLoss) {
  History h;
  h.write(0, 10, 20, 1).write(0, 30, 40, 2);
  h.add(100, 7, OpType::kInvoke, "db-read").add(110, 7, OpType::kOk, "db-read", R"({"version":3})");
  EXPECT_EQ(check(h).valid, Validity::kValid);
}

TEST(CacheStalenessChecker, AFlushInvokedLongAfterTheWriteIsDatabaseLag) {
  History h;
  h.write(0, 0, 10 * kMs, 1);
  h.add(7000 * kMs, 9, OpType::kInvoke, "flush", R"({"version":1})");
  h.add(7001 * kMs, 9, OpType::kOk, "flush");
  CacheStalenessOptions o;
  o.max_lag_ns = 5000 * kMs;
  auto r = check(h, o);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(r.anomalies[0].name, "db-lag");
  EXPECT_DOUBLE_EQ(r.anomalies[0].magnitude["lag_ms"].get<double>(), 6990.0);
  o.max_lag_ns = 8000 * kMs;
  EXPECT_EQ(check(h, o).valid, Validity::kValid);
}

TEST(CacheStalenessChecker, AnUnknownFlushMayHaveWrittenTheRowAtItsInvoke) {
  History h;
  h.write(0, 0, 10 * kMs, 2);
  h.add(100 * kMs, 9, OpType::kInvoke, "flush", R"({"version":3})");  // never completed
  h.add(9000 * kMs, 8, OpType::kInvoke, "flush", R"({"version":2})");
  h.add(9001 * kMs, 8, OpType::kOk, "flush");
  EXPECT_EQ(check(h).valid, Validity::kValid);  // version 3 covers 2, from 100 ms on
}

TEST(CacheStalenessChecker, ConsistencyCountsWritesEveryLaterReadServed) {
  History h;
  h.write(0, 0, 10 * kMs, 1).read(1, 200 * kMs, 201 * kMs, 1).read(1, 300 * kMs, 301 * kMs, 1);
  h.write(0, 400 * kMs, 410 * kMs, 2).read(1, 600 * kMs, 601 * kMs, 1);  // stale
  auto r = check(h);
  EXPECT_EQ(r.valid, Validity::kInvalid);
  const auto& w100 = r.details["consistency"][0];
  EXPECT_EQ(w100["writes_observed"], 2);
  EXPECT_EQ(w100["consistent"], 1);
  EXPECT_NEAR(w100["nines"].get<double>(), 0.30103, 1e-4);
  EXPECT_EQ(r.details["hit_ratio"], 1.0);
}

TEST(CacheStalenessChecker, HitRatioAndLoadsPerSecond) {
  History h;
  h.read(1, 0, 10, 0, "db").read(1, 1500 * kMs, 1501 * kMs, 0, "cache");
  auto r = check(h);
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_DOUBLE_EQ(r.details["hit_ratio"].get<double>(), 0.5);
  EXPECT_EQ(r.details["db_loads_per_second"], (std::vector<int>{1, 0}));
}

TEST(CacheStalenessChecker, ValueFieldsAreReadWithoutAJsonTree) {
  EXPECT_EQ(json_int_field(R"({"version":42,"source":"db"})", "version"), 42);
  EXPECT_EQ(json_int_field(R"({"source":"db", "version" : 7})", "version"), 7);
  EXPECT_EQ(json_int_field(R"({"xversion":1})", "version"), std::nullopt);
  EXPECT_EQ(json_int_field("null", "version"), std::nullopt);
  EXPECT_EQ(json_string_field(R"({"version":42,"source":"stale"})", "source"), "stale");
}

}  // namespace
// The collector keeps a hundred of each name in detail: a flood of one name (db-lag from a
// write-behind queue falling behind) must not strip another name's findings of their details.
TEST(CacheStalenessChecker, AFloodOfDatabaseLagLeavesTheStaleReadsTheirDetails) {
  History h;
  for (int i = 0; i < 150; ++i) {
    const std::string key = "item:{" + std::to_string(100 + i) + "}";
    const std::int64_t p = 1000 + i;
    h.add(i * kMs, p, OpType::kInvoke, "write", R"({"version":1})", key);
    h.add(i * kMs + 1, p, OpType::kOk, "write", "null", key);
    h.add(9000 * kMs + i, p, OpType::kInvoke, "flush", R"({"version":1})", key);
    h.add(9000 * kMs + i + 1, p, OpType::kOk, "flush", "null", key);
  }
  h.write(0, 10 * kMs, 20 * kMs, 1).write(0, 30 * kMs, 40 * kMs, 2).read(1, 55 * kMs, 56 * kMs, 1);
  CacheStalenessOptions o;
  o.max_lag_ns = 5000 * kMs;
  auto r = check(h, o);
  ASSERT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(r.details["anomaly_counts"]["db-lag"], 150);
  int stale = 0;
  for (const Anomaly& a : r.anomalies) {
    if (a.name != "stale-read") continue;
    ++stale;
    EXPECT_EQ(a.key, "item:{1}");
    EXPECT_FALSE(a.ops.empty());
  }
  EXPECT_EQ(stale, 1);
}

}  // namespace redproof
