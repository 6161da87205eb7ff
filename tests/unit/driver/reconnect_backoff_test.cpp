#include "driver/reconnect_backoff.hpp"

#include <gtest/gtest.h>

namespace redproof {
namespace {

TEST(ReconnectBackoff, GrowsWithJitterToABoundAndResets) {
  ReconnectBackoff b(Random(3));
  std::int64_t step = ReconnectBackoff::kFirstNs;
  for (int i = 0; i < 12; ++i) {
    const std::int64_t wait = b.next();
    EXPECT_GE(wait, step / 2) << i;
    EXPECT_LE(wait, step) << i;
    step = std::min(step * 2, ReconnectBackoff::kMostNs);
  }
  EXPECT_LE(b.next(), ReconnectBackoff::kMostNs);  // bounded
  b.reset();
  EXPECT_LE(b.next(), ReconnectBackoff::kFirstNs);
}

TEST(ReconnectBackoff, IsReplayedBySeed) {
  ReconnectBackoff a(Random(9)), b(Random(9));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(a.next(), b.next());
}

}  // namespace
}  // namespace redproof
