// A log-linear latency histogram in the manner of HdrHistogram: values from 1 µs to 60 s kept to
// 3 significant decimal digits, constant-time recording with no allocation, mergeable, and
// printable in HdrHistogram's `.hgrm` percentile-distribution text format.
//
// Values are recorded in nanoseconds; internally they are bucketed at microsecond resolution
// (values below 1 µs count as 1 µs, values above 60 s count as 60 s and are tallied in
// `clamped()` so that a report can say so).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace redproof {

class LatencyHistogram {
 public:
  LatencyHistogram();

  void record_ns(std::int64_t ns) { record_ns(ns, 1); }
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
  std::size_t bucket_index(std::int64_t us) const;
  std::int64_t bucket_highest_equivalent_us(std::size_t index) const;

  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t clamped_ = 0;
  double sum_ns_ = 0;
  std::int64_t min_ns_ = 0;
  std::int64_t max_ns_ = 0;
};

}  // namespace redproof
