#include "core/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace redproof {
namespace {

constexpr std::int64_t kUs = 1000;
constexpr std::int64_t kMs = 1000 * kUs;
constexpr std::int64_t kS = 1000 * kMs;

TEST(LatencyHistogram, EmptyReportsZeros) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile_ns(50), 0);
  EXPECT_EQ(h.max_ns(), 0);
  EXPECT_EQ(h.min_ns(), 0);
  EXPECT_EQ(h.mean_ns(), 0.0);
  EXPECT_NE(h.to_hgrm().find("Total count    =            0"), std::string::npos);
}

TEST(LatencyHistogram, UniformOneToTenThousandMicroseconds) {
  LatencyHistogram h;
  for (std::int64_t us = 1; us <= 10000; ++us) h.record_ns(us * kUs);
  EXPECT_EQ(h.count(), 10000u);
  // HdrHistogram reports the highest value equivalent to the percentile's bucket; the values
  // below 2048 µs are exact, above that the bucket is 2, then 4, then 8 µs wide.
  EXPECT_EQ(h.percentile_ns(10), 1000 * kUs);
  EXPECT_EQ(h.percentile_ns(50), 5003 * kUs);  // 5000 lies in [5000, 5003]
  EXPECT_EQ(h.percentile_ns(99), 9903 * kUs);  // 9900 lies in [9896, 9903]
  EXPECT_EQ(h.percentile_ns(100), h.max_ns());
  EXPECT_EQ(h.max_ns(), 10007 * kUs);  // 10000 lies in [10000, 10007]
  EXPECT_EQ(h.min_ns(), 1 * kUs);
  EXPECT_NEAR(h.mean_ns(), 5000.5 * kUs, 1);
  EXPECT_EQ(h.percentile_ns(0), 1 * kUs);
}

TEST(LatencyHistogram, ExponentialDistributionPercentilesWithinPrecision) {
  std::mt19937_64 rng(42);
  std::exponential_distribution<double> dist(1.0 / (2.0 * kMs));  // mean 2 ms
  std::vector<std::int64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 200000; ++i) {
    const auto v = static_cast<std::int64_t>(dist(rng)) / kUs * kUs + kUs;  // whole µs
    values.push_back(v);
    h.record_ns(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {50.0, 90.0, 99.0, 99.9}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size())) - 1;
    const double exact = static_cast<double>(values[rank]);
    const double reported = static_cast<double>(h.percentile_ns(p));
    EXPECT_GE(reported, exact) << "p" << p;
    EXPECT_LE((reported - exact) / exact, 1e-3) << "p" << p;
  }
  // The theoretical median of Exp(mean 2 ms) is 2 ln 2 ms.
  EXPECT_NEAR(h.percentile_ns(50) / 1e6, 2 * std::log(2.0) + 0.001, 0.03);
}

TEST(LatencyHistogram, EveryValueIsKeptToThreeSignificantDigits) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(0, std::log10(60e6));  // 1 µs .. 60 s
  for (int i = 0; i < 20000; ++i) {
    const auto us = static_cast<std::int64_t>(std::pow(10.0, exponent(rng)));
    LatencyHistogram h;
    h.record_ns(us * kUs);
    const std::int64_t reported = h.percentile_ns(50);
    ASSERT_GE(reported, us * kUs) << us;
    // One part in a thousand, or the single microsecond of resolution below 1 ms.
    ASSERT_LE(reported - us * kUs, std::max<std::int64_t>(kUs * us / 1000, 0)) << us;
  }
}

TEST(LatencyHistogram, ClampsBelowOneMicrosecondAndAboveSixtySeconds) {
  LatencyHistogram h;
  h.record_ns(0);
  h.record_ns(10);
  h.record_ns(-5);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.clamped(), 0u);  // below the floor is rounding, not loss
  EXPECT_EQ(h.percentile_ns(100), 1 * kUs);
  EXPECT_EQ(h.min_ns(), 1 * kUs);

  h.record_ns(90 * kS);
  h.record_ns(3600 * kS, 2);
  EXPECT_EQ(h.count(), 6u);
  EXPECT_EQ(h.clamped(), 3u);
  EXPECT_GE(h.max_ns(), 60 * kS);
  EXPECT_LE(h.max_ns(), 60 * kS + 60 * kS / 1000);
  EXPECT_EQ(h.percentile_ns(50), 1 * kUs);
}

TEST(LatencyHistogram, RecordsWithNanosecondInputRoundedToMicroseconds) {
  LatencyHistogram h;
  h.record_ns(1499);
  EXPECT_EQ(h.percentile_ns(50), 1 * kUs);
  h.reset();
  h.record_ns(1500);
  EXPECT_EQ(h.percentile_ns(50), 2 * kUs);
}

TEST(LatencyHistogram, MergeEqualsRecordingBoth) {
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> dist(std::log(200.0 * kUs), 1.5);
  LatencyHistogram a, b, both;
  for (int i = 0; i < 50000; ++i) {
    const auto v = static_cast<std::int64_t>(dist(rng));
    (i % 3 == 0 ? a : b).record_ns(v);
    both.record_ns(v);
  }
  LatencyHistogram merged;
  merged.merge(a);
  merged.merge(b);
  EXPECT_EQ(merged.count(), both.count());
  EXPECT_EQ(merged.clamped(), both.clamped());
  EXPECT_EQ(merged.min_ns(), both.min_ns());
  EXPECT_EQ(merged.max_ns(), both.max_ns());
  EXPECT_NEAR(merged.mean_ns(), both.mean_ns(), 1e-6 * both.mean_ns());
  for (double p = 0; p <= 100; p += 0.5) EXPECT_EQ(merged.percentile_ns(p), both.percentile_ns(p));
  EXPECT_EQ(merged.to_hgrm(), both.to_hgrm());
  // Merging an empty histogram changes nothing, in either direction.
  LatencyHistogram empty;
  merged.merge(empty);
  EXPECT_EQ(merged.to_hgrm(), both.to_hgrm());
  empty.merge(both);
  EXPECT_EQ(empty.to_hgrm(), both.to_hgrm());
}

TEST(LatencyHistogram, CountedRecordingEqualsRepeatedRecording) {
  LatencyHistogram once, many;
  once.record_ns(1234 * kUs, 7);
  for (int i = 0; i < 7; ++i) many.record_ns(1234 * kUs);
  EXPECT_EQ(once.to_hgrm(), many.to_hgrm());
}

// record_ns(v) has an inline path for values in range; it must count exactly as the general
// path does, at the range's edges, at rounding boundaries and at every bucket's boundary.
TEST(LatencyHistogram, InlineRecordingEqualsTheGeneralPath) {
  std::vector<std::int64_t> values = {-5,      0,           499,           500,        999,
                                      1000,    1499,        1500,          2047 * kUs, 2048 * kUs,
                                      60 * kS, 60 * kS + 1, 60 * kS + 500, 61 * kS};
  for (std::int64_t us = 1024; us <= 60 * kS / kUs; us *= 2) {
    for (std::int64_t d : {-1, 0, 1}) values.push_back((us + d) * kUs + 499);
  }
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) values.push_back(static_cast<std::int64_t>(rng() % (70 * kS)));
  for (std::int64_t v : values) {
    LatencyHistogram inline_path, general;
    inline_path.record_ns(v);
    general.record_ns(v, 1);
    ASSERT_EQ(inline_path.to_hgrm(), general.to_hgrm()) << v;
    ASSERT_EQ(inline_path.min_ns(), general.min_ns()) << v;
    ASSERT_EQ(inline_path.max_ns(), general.max_ns()) << v;
    ASSERT_EQ(inline_path.mean_ns(), general.mean_ns()) << v;
    ASSERT_EQ(inline_path.clamped(), general.clamped()) << v;
  }
  LatencyHistogram all_inline, all_general;
  for (std::int64_t v : values) {
    all_inline.record_ns(v);
    all_general.record_ns(v, 1);
  }
  EXPECT_EQ(all_inline.to_hgrm(), all_general.to_hgrm());
  EXPECT_EQ(all_inline.min_ns(), all_general.min_ns());
  EXPECT_EQ(all_inline.max_ns(), all_general.max_ns());
}

struct HgrmLine {
  double value_ms;
  double percentile;
  std::uint64_t total;
};

TEST(LatencyHistogram, HgrmParsesBackInHdrHistogramFormat) {
  LatencyHistogram h;
  for (std::int64_t us = 1; us <= 100000; ++us) h.record_ns(us * kUs);
  const std::string text = h.to_hgrm();
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "       Value     Percentile TotalCount 1/(1-Percentile)");
  std::getline(in, line);
  EXPECT_EQ(line, "");

  std::vector<HgrmLine> rows;
  std::vector<std::string> footer;
  while (std::getline(in, line)) {
    if (line.rfind("#[", 0) == 0) {
      footer.push_back(line);
      continue;
    }
    std::istringstream fields(line);
    HgrmLine row{};
    ASSERT_TRUE(fields >> row.value_ms >> row.percentile >> row.total) << line;
    double inverse = 0;
    if (row.percentile < 1.0) {
      ASSERT_TRUE(fields >> inverse) << line;
      EXPECT_NEAR(inverse, 1.0 / (1.0 - row.percentile), 0.01 + 1e-3 * inverse) << line;
    } else {
      EXPECT_FALSE(fields >> inverse) << "the last line has three columns: " << line;
    }
    rows.push_back(row);
  }
  ASSERT_GT(rows.size(), 20u);
  EXPECT_EQ(rows.front().percentile, 0.0);
  EXPECT_EQ(rows.back().percentile, 1.0);
  EXPECT_EQ(rows.back().total, 100000u);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_GE(rows[i].value_ms, rows[i - 1].value_ms);
    EXPECT_GE(rows[i].percentile, rows[i - 1].percentile);
    EXPECT_GE(rows[i].total, rows[i - 1].total);
  }
  // HdrHistogram's tick schedule: 0, 0.1, 0.2, ... 0.5, then 0.55, 0.6, ...
  EXPECT_DOUBLE_EQ(rows[1].percentile, 0.1);
  EXPECT_DOUBLE_EQ(rows[5].percentile, 0.5);
  EXPECT_DOUBLE_EQ(rows[6].percentile, 0.55);
  // The row at 0.5 shows the median in ms.
  EXPECT_NEAR(rows[5].value_ms, h.percentile_ns(50) / 1e6, 0.0005);
  EXPECT_NEAR(rows.back().value_ms, h.max_ns() / 1e6, 0.0005);

  ASSERT_EQ(footer.size(), 3u);
  double mean = 0, deviation = 0, max = 0;
  unsigned long long total = 0;
  int buckets = 0, sub_buckets = 0;
  ASSERT_EQ(
      std::sscanf(footer[0].c_str(), "#[Mean    = %lf, StdDeviation   = %lf]", &mean, &deviation),
      2)
      << footer[0];
  ASSERT_EQ(std::sscanf(footer[1].c_str(), "#[Max     = %lf, Total count    = %llu]", &max, &total),
            2)
      << footer[1];
  ASSERT_EQ(std::sscanf(footer[2].c_str(), "#[Buckets = %d, SubBuckets     = %d]", &buckets,
                        &sub_buckets),
            2)
      << footer[2];
  EXPECT_NEAR(mean, 50.0005, 0.001);
  EXPECT_NEAR(deviation, 100.0 / std::sqrt(12.0), 0.05);  // a uniform distribution's
  EXPECT_NEAR(max, 100.0, 0.1);
  EXPECT_EQ(total, 100000u);
  EXPECT_EQ(buckets, 16);
  EXPECT_EQ(sub_buckets, 2048);
}

}  // namespace
}  // namespace redproof
