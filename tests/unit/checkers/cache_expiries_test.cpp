#include "checkers/cache_expiries.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "checkers/cache_staleness_checker.hpp"
#include "checkers/stampede_checker.hpp"
#include "history_builder.hpp"

namespace redproof {
namespace {

using namespace testing_history;

constexpr std::int64_t kMs = 1'000'000;
const std::string kKey = "item:{1}";

std::string read_result(const std::string& source) {
  return R"({"version":0,"source":")" + source + "\"}";
}

// A history built operation by operation; each operation has its own process, and events are
// added in time order by the test.
class Cache {
 public:
  Cache& invoke(std::int64_t p, std::int64_t ms, const std::string& f,
                const std::string& key = kKey) {
    b_.add(ms * kMs, p, kInv, f, key, f == "write" ? R"({"version":1})" : "null");
    return *this;
  }
  Cache& read_done(std::int64_t p, std::int64_t ms, const std::string& source,
                   const std::string& key = kKey) {
    b_.add(ms * kMs, p, kOk, "read", key, read_result(source));
    return *this;
  }
  Cache& write_done(std::int64_t p, std::int64_t ms, OpType type) {
    b_.add(ms * kMs, p, type, "write", kKey);
    return *this;
  }
  // A whole read that overlaps nothing.
  Cache& read(std::int64_t p, std::int64_t from_ms, std::int64_t to_ms, const std::string& source,
              const std::string& key = kKey) {
    return invoke(p, from_ms, "read", key).read_done(p, to_ms, source, key);
  }
  std::vector<ObservedExpiry> expiries() const {
    return observed_expiries(collect_cache_ops(b_.ops()));
  }
  // When each observed expiry was marked, in ms.
  std::vector<std::int64_t> expiry_ms() const {
    std::vector<std::int64_t> out;
    for (const ObservedExpiry& e : expiries()) out.push_back(e.at_ns / kMs);
    return out;
  }
  const std::vector<Op>& ops() const { return b_.ops(); }

 private:
  Builder b_;
};

TEST(CacheExpiries, AHitThenAMissWithNoWriteBetweenIsAnExpiry) {
  Cache c;
  c.read(1, 0, 1, "cache").read(2, 600, 650, "db");
  const auto e = c.expiries();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].at_ns, 600 * kMs);
  EXPECT_EQ(e[0].index, 2);
}

TEST(CacheExpiries, AFillThenALaterMissIsAnExpiry) {
  Cache c;
  c.read(1, 0, 50, "db").read(2, 5100, 5150, "db");
  EXPECT_EQ(c.expiry_ms(), (std::vector<std::int64_t>{5100}));
}

TEST(CacheExpiries, AMissWithNothingKnownBeforeItIsNoExpiry) {
  Cache c;
  c.read(1, 0, 50, "db");
  EXPECT_TRUE(c.expiries().empty());
}

TEST(CacheExpiries, AWriteThatDeletedTheEntryMakesTheMissAnInvalidation) {
  Cache c;
  c.read(1, 0, 1, "cache");
  c.invoke(2, 10, "write").write_done(2, 12, OpType::kOk);
  c.read(3, 600, 650, "db");
  EXPECT_TRUE(c.expiries().empty());
}

TEST(CacheExpiries, AWriteOfUnknownOutcomeMayHaveInvalidatedSoTheMissIsNotCounted) {
  Cache c;
  c.invoke(2, 0, "write").write_done(2, 2, OpType::kInfo);  // may take effect any time later
  c.read(1, 10, 11, "cache");
  c.read(3, 600, 650, "db");
  EXPECT_TRUE(c.expiries().empty());

  Cache never_completed;
  never_completed.read(1, 0, 1, "cache").invoke(2, 10, "write").read(3, 600, 650, "db");
  EXPECT_TRUE(never_completed.expiries().empty());
}

TEST(CacheExpiries, AFailedWriteOrOneDoneBeforeTheHitChangesNothing) {
  Cache c;
  c.invoke(2, 0, "write").write_done(2, 2, OpType::kOk);  // before the hit: the hit saw after it
  c.read(1, 10, 11, "cache");
  c.invoke(4, 20, "write").write_done(4, 22, OpType::kFail);  // certainly did nothing
  c.read(3, 600, 650, "db");
  EXPECT_EQ(c.expiries().size(), 1u);
}

TEST(CacheExpiries, AWriteOverlappingTheHitMayHaveDeletedAfterIt) {
  Cache c;
  c.invoke(1, 0, "read").invoke(2, 1, "write").read_done(1, 2, "cache");
  c.write_done(2, 3, OpType::kOk);
  c.read(3, 600, 650, "db");
  EXPECT_TRUE(c.expiries().empty());
}

// A herd: the first miss marks the episode; the readers that missed with it, a hit that was in
// flight when the entry went, and stale serves are all the same episode.
TEST(CacheExpiries, AHerdIsOneEpisodeMarkedAtItsFirstMiss) {
  Cache c;
  c.read(1, 0, 1, "cache");
  c.invoke(2, 500, "read").invoke(3, 500, "read").invoke(4, 501, "read");  // 4: a hit in flight
  c.read_done(4, 502, "cache");
  c.invoke(6, 503, "read");      // after the in-flight hit completed: still the same absence
  c.read(5, 504, 505, "stale");  // mutex: served the old copy while 2 rebuilds
  c.read_done(2, 550, "db").read_done(3, 551, "db").read_done(6, 556, "db");
  c.read(7, 560, 561, "cache");
  // The next expiry, after a period served from the cache.
  c.invoke(8, 1100, "read").invoke(9, 1101, "read");
  c.read_done(8, 1150, "db").read_done(9, 1151, "db");
  EXPECT_EQ(c.expiry_ms(), (std::vector<std::int64_t>{500, 1100}));
}

TEST(CacheExpiries, AMissAfterAStaleServeIsTheSameAbsence) {
  Cache c;
  c.read(1, 0, 1, "cache").read(2, 500, 501, "stale").read(3, 510, 560, "db");
  EXPECT_EQ(c.expiry_ms(), (std::vector<std::int64_t>{500}));
}

TEST(CacheExpiries, KeysAreJudgedApartAndMarkedInTimeOrder) {
  Cache c;
  c.read(1, 0, 1, "cache", "a").read(2, 2, 3, "cache", "b");
  c.read(3, 700, 750, "db", "b").read(4, 800, 850, "db", "a");
  EXPECT_EQ(c.expiry_ms(), (std::vector<std::int64_t>{700, 800}));
}

TEST(CacheExpiries, DetailsHoldTheSeriesAndTheMarkersCapped) {
  Cache c;
  c.read(0, 0, 1, "cache");
  const std::size_t episodes = kMaxExpiryMarkers + 25;
  for (std::size_t i = 0; i < episodes; ++i) {  // miss, then a hit: one episode each
    const auto t = static_cast<std::int64_t>(10 + 10 * i);
    c.read(static_cast<std::int64_t>(2 * i + 1), t, t + 2, "db");
    c.read(static_cast<std::int64_t>(2 * i + 2), t + 4, t + 5, "cache");
  }
  const CacheHistory h = collect_cache_ops(c.ops());
  nlohmann::json details;
  add_expiry_details(h, observed_expiries(h), {}, 5, kExpiryOrEviction, details);
  EXPECT_EQ(details["expiries_observed"], episodes);
  ASSERT_EQ(details["expiries_per_second"].size(), 5u);  // padded to the other series' length
  EXPECT_EQ(details["expiries_per_second"][0], 99);      // 10 ms .. 990 ms
  EXPECT_EQ(details["markers"].size(), kMaxExpiryMarkers);
  EXPECT_EQ(details["markers_left_out"], 25);
  EXPECT_DOUBLE_EQ(details["markers"][0]["t_s"].get<double>(), 0.01);
  EXPECT_EQ(details["markers"][0]["label"], "expiry or eviction: item:{1}");
}

// A restart between the sighting and the miss may have lost the entry: the label says so.
TEST(CacheExpiries, AFaultSinceTheLastSightingIsNamedInTheLabel) {
  Cache c;
  c.read(1, 0, 1, "cache").read(2, 500, 550, "db").read(3, 560, 561, "cache");
  c.read(4, 2000, 2050, "db");
  const CacheHistory h = collect_cache_ops(c.ops());
  FaultWindow restart;
  restart.fault = "kill-restart";
  restart.start_ns = 1000 * kMs;
  restart.end_ns = 1200 * kMs;
  nlohmann::json details;
  add_expiry_details(h, observed_expiries(h), {restart}, 3, kExpiryOrEviction, details);
  ASSERT_EQ(details["markers"].size(), 2u);
  EXPECT_EQ(details["markers"][0]["label"], "expiry or eviction: item:{1}");
  EXPECT_EQ(details["markers"][1]["label"],
            "expiry or eviction: item:{1} (kill-restart since it was last seen)");
}

TEST(CacheExpiries, BothCacheCheckersReportThem) {
  Cache c;
  c.read(1, 0, 1, "cache").read(2, 1600, 1650, "db");
  CacheStalenessChecker staleness;
  const CheckResult s = staleness.check(c.ops());
  EXPECT_EQ(s.details["expiries_observed"], 1);
  EXPECT_EQ(s.details["expiries_per_second"], nlohmann::json({0, 1}));
  EXPECT_EQ(s.details["markers"].size(), 1u);
  EXPECT_FALSE(s.details.contains("markers_left_out"));
  StampedeChecker stampede;
  const CheckResult p = stampede.check(c.ops());
  EXPECT_EQ(p.details["expiries_observed"], 1);
  EXPECT_EQ(p.details["reads_per_second"], nlohmann::json({1, 1}));
  EXPECT_EQ(p.details["db_loads_per_second"], nlohmann::json({0, 1}));
  ASSERT_EQ(p.details["db_loads_per_100ms"].size(), 17u);  // to the history's end, 1650 ms
  EXPECT_EQ(p.details["db_loads_per_100ms"][16], 1);
  EXPECT_EQ(p.details["markers"][0]["t_s"], 1.6);
  EXPECT_EQ(s.details["markers"][0]["label"], "expiry or eviction: item:{1}");
  EXPECT_EQ(p.details["markers"][0]["label"], "expiry, eviction or early rebuild: item:{1}");
}

}  // namespace
}  // namespace redproof
