// The proxy's scheduling arithmetic without sockets: latency with jitter never reorders, the
// bandwidth pacer keeps to its rate, the slicer cuts as promised, and toxicity decisions replay
// from the seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "faults/proxy/bandwidth_pacer.hpp"
#include "faults/proxy/latency_schedule.hpp"
#include "faults/proxy/slicer.hpp"
#include "faults/proxy/toxicity.hpp"

namespace redproof::proxy {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(ProxyLatencySchedule, SampleStaysWithinJitter) {
  Random rng(1);
  Nanos lo = milliseconds(50), hi = milliseconds(50);
  for (int i = 0; i < 10000; ++i) {
    Nanos d = LatencySchedule::sample(milliseconds(50), milliseconds(10), rng);
    ASSERT_GE(d, milliseconds(40));
    ASSERT_LE(d, milliseconds(60));
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  // The whole band is used, not a constant.
  EXPECT_LT(lo, milliseconds(41));
  EXPECT_GT(hi, milliseconds(59));
  Random other(1);
  EXPECT_EQ(LatencySchedule::sample(milliseconds(5), Nanos(0), other), milliseconds(5));
}

TEST(ProxyLatencySchedule, NeverReordersWhateverTheJitter) {
  // Chunks arriving 1 ms apart with 50 ± 40 ms: samples differ by far more than the gaps, so a
  // naive arrival + delay would reorder often. The schedule must not, and must never release a
  // chunk before its own arrival + delay.
  Random rng(42);
  LatencySchedule schedule;
  Nanos previous{0};
  int held_back = 0;
  for (int i = 0; i < 5000; ++i) {
    Nanos arrival = milliseconds(i);
    Nanos delay = LatencySchedule::sample(milliseconds(50), milliseconds(40), rng);
    Nanos release = schedule.release(arrival, delay);
    ASSERT_GE(release, arrival + delay);
    ASSERT_GE(release, previous) << "chunk " << i << " overtook chunk " << i - 1;
    if (release > arrival + delay) ++held_back;
    previous = release;
  }
  EXPECT_GT(held_back, 100);  // the max() really was needed
  EXPECT_EQ(schedule.last_release(), previous);
}

TEST(ProxyLatencySchedule, WithoutJitterEachChunkGetsExactlyTheLatency) {
  LatencySchedule schedule;
  EXPECT_EQ(schedule.release(milliseconds(0), milliseconds(50)), milliseconds(50));
  EXPECT_EQ(schedule.release(milliseconds(3), milliseconds(50)), milliseconds(53));
  EXPECT_EQ(schedule.release(milliseconds(100), milliseconds(50)), milliseconds(150));
}

TEST(ProxyBandwidthPacer, TransferTimeFollowsTheRate) {
  BandwidthPacer pacer(100);  // 100 KB/s = 100 000 bytes/s: 10 µs per byte
  EXPECT_EQ(pacer.transfer_time(1), microseconds(10));
  EXPECT_EQ(pacer.transfer_time(1000), milliseconds(10));
  EXPECT_EQ(pacer.max_piece(), 10'000u);
  BandwidthPacer odd(3);  // 3000 bytes/s: 1 byte is 333 333.3 ns, rounded up
  EXPECT_EQ(odd.transfer_time(1), Nanos(333'334));
  EXPECT_THROW(BandwidthPacer(0), std::invalid_argument);
}

TEST(ProxyBandwidthPacer, BackToBackChunksQueueBehindEachOther) {
  BandwidthPacer pacer(100);
  auto a = pacer.pace(milliseconds(0), 1000);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].release_at, milliseconds(10));
  // Arrives while the link is still busy: starts when it is free.
  auto b = pacer.pace(milliseconds(5), 500);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].release_at, milliseconds(15));
  // Arrives when the link is idle: starts at once.
  auto c = pacer.pace(milliseconds(100), 100);
  EXPECT_EQ(c[0].release_at, milliseconds(101));
}

TEST(ProxyBandwidthPacer, LargeChunkTricklesIn100msPieces) {
  BandwidthPacer pacer(10);  // 10 000 bytes/s, pieces of 1000 bytes
  auto pieces = pacer.pace(milliseconds(0), 3500);
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_EQ(pieces[0].size, 1000u);
  EXPECT_EQ(pieces[0].release_at, milliseconds(100));
  EXPECT_EQ(pieces[1].release_at, milliseconds(200));
  EXPECT_EQ(pieces[2].release_at, milliseconds(300));
  EXPECT_EQ(pieces[3].size, 500u);
  EXPECT_EQ(pieces[3].release_at, milliseconds(350));
}

TEST(ProxyBandwidthPacer, SustainedRateIsTheConfiguredRate) {
  BandwidthPacer pacer(50);
  Random rng(9);
  std::size_t total = 0;
  Nanos last{0};
  for (int i = 0; i < 1000; ++i) {
    std::size_t n = static_cast<std::size_t>(rng.uniform(1, 16384));
    total += n;
    for (const auto& p : pacer.pace(Nanos(0), n)) {
      ASSERT_GE(p.release_at, last);
      last = p.release_at;
    }
  }
  // Everything ready at 0: the last byte leaves after total / rate, to within rounding.
  double expected_ns = static_cast<double>(total) * 1e6 / 50.0;
  EXPECT_NEAR(static_cast<double>(last.count()), expected_ns, 2000.0);
}

TEST(ProxySlicer, SlicesAddUpAndStayWithinBounds) {
  Random rng(3);
  for (std::size_t size : {1u, 7u, 64u, 65u, 100u, 1000u, 16384u, 99991u}) {
    auto slices = slice_sizes(size, 64, 16, rng);
    EXPECT_EQ(std::accumulate(slices.begin(), slices.end(), std::size_t{0}), size) << size;
    for (std::size_t s : slices) {
      EXPECT_GE(s, 1u);
      EXPECT_LE(s, 80u);
    }
    if (size > 80) {
      EXPECT_GE(slices.size(), size / 80) << size;
    } else {
      EXPECT_EQ(slices.size(), 1u) << size;
    }
  }
}

TEST(ProxySlicer, WithoutVariationSlicesAreAboutTheAverage) {
  Random rng(4);
  auto slices = slice_sizes(1024, 16, 0, rng);
  for (std::size_t s : slices) EXPECT_EQ(s, 16u);
  EXPECT_EQ(slices.size(), 64u);
  auto odd = slice_sizes(100, 10, 0, rng);
  for (std::size_t s : odd) {
    EXPECT_GE(s, 6u);
    EXPECT_LE(s, 10u);
  }
  EXPECT_TRUE(slice_sizes(0, 10, 0, rng).empty());
  EXPECT_THROW(slice_sizes(10, 10, 10, rng), std::invalid_argument);
}

TEST(ProxySlicer, SameSeedSameCut) {
  Random a(77), b(77), c(78);
  auto x = slice_sizes(5000, 32, 20, a);
  EXPECT_EQ(x, slice_sizes(5000, 32, 20, b));
  EXPECT_NE(x, slice_sizes(5000, 32, 20, c));
}

TEST(ProxyToxicity, DecisionsReplayFromTheSeed) {
  Toxic t = parse_toxic("latency:10ms,toxicity=0.3");
  ToxicityDecider one(5), again(5), other(6);
  int hits = 0, differ = 0;
  // Asked in a different order, the answers are the same: they depend on (seed, name, conn).
  std::vector<bool> forward, backward(2000);
  for (std::uint64_t c = 0; c < 2000; ++c) forward.push_back(one.applies(t, c));
  for (std::uint64_t c = 2000; c-- > 0;) backward[c] = again.applies(t, c);
  EXPECT_EQ(forward, backward);
  for (std::uint64_t c = 0; c < 2000; ++c) {
    hits += forward[c];
    differ += forward[c] != other.applies(t, c);
  }
  EXPECT_NEAR(hits / 2000.0, 0.3, 0.05);
  EXPECT_GT(differ, 200);  // another seed, other choices
  // Another toxic name is an independent stream.
  Toxic u = t;
  u.name = "other";
  int same = 0;
  for (std::uint64_t c = 0; c < 2000; ++c) same += one.applies(u, c) == forward[c];
  EXPECT_LT(same, 1900);
}

TEST(ProxyToxicity, AlwaysAndNever) {
  ToxicityDecider d(1);
  Toxic t = parse_toxic("timeout");
  t.toxicity = 1.0;
  for (std::uint64_t c = 0; c < 100; ++c) EXPECT_TRUE(d.applies(t, c));
  t.toxicity = 0.0;
  for (std::uint64_t c = 0; c < 100; ++c) EXPECT_FALSE(d.applies(t, c));
}

}  // namespace
}  // namespace redproof::proxy
