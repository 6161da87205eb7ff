#include "core/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>

namespace redproof {

namespace {

using namespace latency_layout;
constexpr int kSignificantDigits = 3;

constexpr int bucket_count_for(std::int64_t highest) {
  std::int64_t smallest_untrackable = kSubBucketCount;
  int buckets = 1;
  while (smallest_untrackable <= highest) {
    smallest_untrackable <<= 1;
    ++buckets;
  }
  return buckets;
}
constexpr int kBucketCount = bucket_count_for(kHighestUs);  // 16
constexpr std::size_t kCountsLength = (kBucketCount + 1) * kSubBucketHalfCount;

// The value at the bottom of counts index `index`.
std::int64_t value_from_index(std::size_t index) {
  std::int64_t bucket = static_cast<std::int64_t>(index >> kSubBucketHalfCountMagnitude) - 1;
  std::int64_t sub_bucket =
      static_cast<std::int64_t>(index & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
  if (bucket < 0) {
    sub_bucket -= kSubBucketHalfCount;
    bucket = 0;
  }
  return sub_bucket << bucket;
}

std::int64_t equivalent_range_size(std::int64_t v) {
  const int bucket = bucket_of(v);
  const std::int64_t sub_bucket = v >> bucket;
  const int adjusted = sub_bucket >= kSubBucketCount ? bucket + 1 : bucket;
  return std::int64_t{1} << adjusted;
}

std::int64_t lowest_equivalent(std::int64_t v) {
  const int bucket = bucket_of(v);
  return (v >> bucket) << bucket;
}

std::int64_t highest_equivalent(std::int64_t v) {
  return lowest_equivalent(v) + equivalent_range_size(v) - 1;
}

std::int64_t median_equivalent(std::int64_t v) {
  return lowest_equivalent(v) + (equivalent_range_size(v) >> 1);
}

// Nanoseconds to the microseconds the buckets are kept in, nearest, within [1 µs, 60 s].
std::int64_t to_bucketed_us(std::int64_t ns, bool& clamped) {
  std::int64_t us = ns / 1000 + (ns % 1000 >= 500 ? 1 : 0);
  clamped = us > kHighestUs;
  return std::clamp(us, kLowestUs, kHighestUs);
}

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(kCountsLength, 0) {}

std::int64_t LatencyHistogram::bucket_highest_equivalent_us(std::size_t index) const {
  return highest_equivalent(value_from_index(index));
}

void LatencyHistogram::record_ns(std::int64_t ns, std::uint64_t count) {
  if (count == 0) return;
  bool clamped = false;
  const std::int64_t us = to_bucketed_us(ns, clamped);
  counts_[counts_index(us)] += count;
  if (clamped) clamped_ += count;
  // Min, max and mean are of the values as counted (after clamping), so that they agree with
  // the percentiles.
  const std::int64_t counted_ns = std::clamp<std::int64_t>(ns, kLowestUs * 1000, kHighestUs * 1000);
  if (total_ == 0 || counted_ns < min_ns_) min_ns_ = counted_ns;
  if (total_ == 0 || counted_ns > max_ns_) max_ns_ = counted_ns;
  total_ += count;
  sum_ns_ += static_cast<double>(counted_ns) * static_cast<double>(count);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.total_ == 0) return;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  if (total_ == 0 || other.min_ns_ < min_ns_) min_ns_ = other.min_ns_;
  if (total_ == 0 || other.max_ns_ > max_ns_) max_ns_ = other.max_ns_;
  total_ += other.total_;
  clamped_ += other.clamped_;
  sum_ns_ += other.sum_ns_;
}

void LatencyHistogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = 0;
  clamped_ = 0;
  sum_ns_ = 0;
  min_ns_ = 0;
  max_ns_ = 0;
}

// As HdrHistogram's getMin/getMax: the bucket's bounds, so that max_ns() == percentile_ns(100)
// and no reported percentile exceeds the reported maximum.
std::int64_t LatencyHistogram::min_ns() const {
  if (total_ == 0) return 0;
  bool clamped = false;
  return lowest_equivalent(to_bucketed_us(min_ns_, clamped)) * 1000;
}

std::int64_t LatencyHistogram::max_ns() const {
  if (total_ == 0) return 0;
  bool clamped = false;
  return highest_equivalent(to_bucketed_us(max_ns_, clamped)) * 1000;
}

double LatencyHistogram::mean_ns() const {
  return total_ == 0 ? 0.0 : sum_ns_ / static_cast<double>(total_);
}

std::int64_t LatencyHistogram::percentile_ns(double p) const {
  if (total_ == 0) return 0;
  const double requested = std::clamp(std::isnan(p) ? 0.0 : p, 0.0, 100.0);
  // HdrHistogram's rounding: the smallest count that covers the requested fraction.
  std::uint64_t wanted =
      static_cast<std::uint64_t>(requested / 100.0 * static_cast<double>(total_) + 0.5);
  wanted = std::max<std::uint64_t>(wanted, 1);
  std::uint64_t so_far = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    so_far += counts_[i];
    if (so_far >= wanted) {
      const std::int64_t v = value_from_index(i);
      return (requested == 0.0 ? lowest_equivalent(v) : bucket_highest_equivalent_us(i)) * 1000;
    }
  }
  return max_ns();
}

// HdrHistogram's outputPercentileDistribution(out, 5 ticks per half distance, scale 1000.0):
// the same columns, widths and footer, so its plotter and parsers read the file unchanged.
std::string LatencyHistogram::to_hgrm() const {
  constexpr double kScale = 1000.0;  // µs -> ms
  constexpr int kTicksPerHalfDistance = 5;
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount",
                "1/(1-Percentile)");
  out += line;

  // HdrHistogram's PercentileIterator, over the non-empty buckets.
  if (total_ > 0) {
    double level_to = 0.0;
    bool reached_last = false;
    std::size_t index = 0;
    std::uint64_t count_to_index = counts_[0];
    const double total = static_cast<double>(total_);
    while (true) {
      const bool more = count_to_index < total_ || !reached_last;
      if (!more) break;
      if (count_to_index >= total_ && !reached_last) {
        level_to = 100.0;
        reached_last = true;
      }
      // Advance to the bucket that reaches the current level.
      while (counts_[index] == 0 ||
             100.0 * static_cast<double>(count_to_index) / total < level_to) {
        ++index;
        if (index >= counts_.size()) break;
        count_to_index += counts_[index];
      }
      if (index >= counts_.size()) break;
      const double value = static_cast<double>(bucket_highest_equivalent_us(index)) / kScale;
      if (level_to != 100.0) {
        std::snprintf(line, sizeof line, "%12.*f %2.12f %10llu %14.2f\n", kSignificantDigits, value,
                      level_to / 100.0, static_cast<unsigned long long>(count_to_index),
                      1.0 / (1.0 - level_to / 100.0));
      } else {
        std::snprintf(line, sizeof line, "%12.*f %2.12f %10llu\n", kSignificantDigits, value,
                      level_to / 100.0, static_cast<unsigned long long>(count_to_index));
      }
      out += line;
      if (level_to == 100.0) break;
      const auto halvings =
          static_cast<long long>(std::log(100.0 / (100.0 - level_to)) / std::log(2));
      const double ticks = kTicksPerHalfDistance * std::pow(2.0, static_cast<double>(halvings + 1));
      level_to += 100.0 / ticks;
    }
  }

  // Mean is exact; the deviation is taken over each bucket's middle, as HdrHistogram does.
  double deviation = 0;
  if (total_ > 0) {
    const double mean_us = mean_ns() / 1000.0;
    double squares = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i] == 0) continue;
      const double d = static_cast<double>(median_equivalent(value_from_index(i))) - mean_us;
      squares += d * d * static_cast<double>(counts_[i]);
    }
    deviation = std::sqrt(squares / static_cast<double>(total_));
  }
  std::snprintf(line, sizeof line, "#[Mean    = %12.*f, StdDeviation   = %12.*f]\n",
                kSignificantDigits, mean_ns() / 1000.0 / kScale, kSignificantDigits,
                deviation / kScale);
  out += line;
  std::snprintf(line, sizeof line, "#[Max     = %12.*f, Total count    = %12llu]\n",
                kSignificantDigits, static_cast<double>(max_ns()) / 1000.0 / kScale,
                static_cast<unsigned long long>(total_));
  out += line;
  std::snprintf(line, sizeof line, "#[Buckets = %12d, SubBuckets     = %12lld]\n", kBucketCount,
                static_cast<long long>(kSubBucketCount));
  out += line;
  return out;
}

}  // namespace redproof
