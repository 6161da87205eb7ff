// A log-linear latency histogram in the manner of HdrHistogram: values from 1 µs to 60 s kept to
// 3 significant decimal digits, constant-time recording with no allocation, mergeable, and
// printable in HdrHistogram's `.hgrm` percentile-distribution text format.
//
// Values are recorded in nanoseconds; internally they are bucketed at microsecond resolution
// (values below 1 µs count as 1 µs, values above 60 s count as 60 s and are tallied in
// `clamped()` so that a report can say so).
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

namespace redproof {

// HdrHistogram's layout for lowest = 1, highest = 60'000'000 (µs), 3 significant digits:
// values up to 2 * 10^3 must be exact, so a bucket has 2048 sub-buckets (2^11). Bucket 0 covers
// [0, 2048) one by one; every later bucket doubles the range and the step and reuses only its
// upper half (the lower half is covered by the bucket before), so the relative step stays
// at most 1/1024: better than one part in a thousand everywhere.
namespace latency_layout {
constexpr std::int64_t kLowestUs = 1;
constexpr std::int64_t kHighestUs = 60'000'000;
constexpr int kSubBucketCountMagnitude = 11;  // ceil(log2(2 * 10^3))
constexpr int kSubBucketHalfCountMagnitude = kSubBucketCountMagnitude - 1;
constexpr std::int64_t kSubBucketCount = std::int64_t{1} << kSubBucketCountMagnitude;
constexpr std::int64_t kSubBucketHalfCount = kSubBucketCount / 2;
constexpr std::int64_t kSubBucketMask = kSubBucketCount - 1;
// unit magnitude is 0 (lowest discernible value 1 µs), so it does not appear below.
constexpr int kLeadingZeroCountBase = 64 - kSubBucketHalfCountMagnitude - 1;

inline int bucket_of(std::int64_t v) {
  return kLeadingZeroCountBase - std::countl_zero(static_cast<std::uint64_t>(v | kSubBucketMask));
}

// Where a value (µs, within [kLowestUs, kHighestUs]) is counted.
inline std::size_t counts_index(std::int64_t us) {
  const int bucket = bucket_of(us);
  const std::int64_t sub_bucket = us >> bucket;
  return static_cast<std::size_t>(((bucket + 1) << kSubBucketHalfCountMagnitude) +
                                  (sub_bucket - kSubBucketHalfCount));
}
}  // namespace latency_layout

class LatencyHistogram {
 public:
  LatencyHistogram();

  // One value. Inline, because the load engine records three per request; values outside
  // [1 µs, 60 s] take the general path, which clamps and tallies them.
  void record_ns(std::int64_t ns) {
    using namespace latency_layout;
    if (ns < kLowestUs * 1000 || ns > kHighestUs * 1000) return record_ns(ns, 1);
    ++counts_[counts_index((ns + 500) / 1000)];  // nearest µs
    if (total_ == 0 || ns < min_ns_) min_ns_ = ns;
    if (total_ == 0 || ns > max_ns_) max_ns_ = ns;
    ++total_;
    sum_ns_ += static_cast<double>(ns);
  }
  void record_ns(std::int64_t ns, std::uint64_t count);
  void merge(const LatencyHistogram& other);
  void reset();

  std::uint64_t count() const { return total_; }
  std::uint64_t clamped() const { return clamped_; }
  // Smallest recorded value's bucket, highest's, and the exact mean of recorded values (ns).
  std::int64_t min_ns() const;
  std::int64_t max_ns() const;
  double mean_ns() const;
  // The value at percentile p (0..100), in ns, as HdrHistogram reports it (the highest value
  // equivalent to the bucket that holds the p-th percentile). 0 when empty.
  std::int64_t percentile_ns(double p) const;

  // HdrHistogram's percentile distribution text (as `outputPercentileDistribution` prints it)
  // with values scaled to milliseconds, readable by HdrHistogram's plotter.
  std::string to_hgrm() const;

 private:
  std::int64_t bucket_highest_equivalent_us(std::size_t index) const;

  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t clamped_ = 0;
  double sum_ns_ = 0;
  std::int64_t min_ns_ = 0;
  std::int64_t max_ns_ = 0;
};

}  // namespace redproof
