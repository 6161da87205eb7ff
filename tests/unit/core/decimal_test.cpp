#include "core/decimal.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

#include "core/line_buffer.hpp"

namespace redproof {
namespace {

std::string written(std::int64_t v) {
  char buf[32];
  return std::string(buf, decimal::write(buf, v));
}

std::string reference(std::int64_t v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

TEST(Decimal, WritesWhatToCharsWritesAtEveryLength) {
  std::int64_t v = 1;
  for (int digits = 1; digits <= 18; ++digits, v *= 10) {
    for (std::int64_t x : {v - 1, v, v + 1, 2 * v - 1, 9 * v, 10 * v - 1}) {
      EXPECT_EQ(written(x), reference(x)) << x;
      EXPECT_EQ(written(-x), reference(-x)) << -x;
    }
  }
  for (std::int64_t x :
       {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
    EXPECT_EQ(written(x), reference(x));
  }
  char buf[32];
  EXPECT_EQ(std::string(buf, decimal::write(buf, std::numeric_limits<std::uint64_t>::max())),
            "18446744073709551615");
}

TEST(Decimal, WritesBackwardsZeroPaddedToAWidth) {
  char buf[12];
  decimal::write_backwards(buf + 12, 42, 12);
  EXPECT_EQ(std::string(buf, 12), "000000000042");
  decimal::write_backwards(buf + 5, 12345, 5);
  EXPECT_EQ(std::string(buf, 5), "12345");
  decimal::write_backwards(buf + 3, 12345, 3);  // only the last digits fit
  EXPECT_EQ(std::string(buf, 3), "345");
}

// Cached text must equal fresh formatting whether the numbers repeat, count up across a new
// digit, or jump (backwards too).
TEST(Decimal, CachedTextMatchesFreshTextForRepeatsIncrementsAndJumps) {
  decimal::Cached cached;
  {
    decimal::Cached fresh;  // the largest number first: nothing cached yet
    char buf[decimal::Cached::kRoom];
    EXPECT_EQ(std::string(buf, fresh.write(buf, 18446744073709551615ull)), "18446744073709551615");
  }
  std::uint64_t sequence[] = {0,
                              0,
                              1,
                              2,
                              9,
                              10,
                              11,
                              99,
                              100,
                              100,
                              5,
                              6,
                              999999,
                              1000000,
                              1000001,
                              7,
                              18446744073709551614ull,
                              18446744073709551615ull,
                              0};
  for (std::uint64_t v : sequence) {
    char buf[decimal::Cached::kRoom];
    char* end = cached.write(buf, v);
    char expected[32];
    EXPECT_EQ(std::string(buf, end), std::string(expected, decimal::write(expected, v))) << v;
  }
  for (std::uint64_t v = 0; v < 20000; ++v) {  // every carry up to five digits
    char buf[decimal::Cached::kRoom];
    char* end = cached.write(buf, v);
    ASSERT_EQ(std::string(buf, end), std::to_string(v));
  }
}

TEST(LineBuffer, RoomIsKeptOnlyUpToCommitAndSurvivesGrowth) {
  LineBuffer out(4);
  char* p = out.room(10);
  std::memcpy(p, "abcdefghij", 10);
  out.commit(p + 3);
  EXPECT_EQ(out.view(), "abc");
  out.append("de");
  out.append('!');
  p = out.room(1000);  // grows, keeping what was committed
  p[0] = '?';
  out.commit(p + 1);
  EXPECT_EQ(out.view(), "abcde!?");
  out.clear();
  EXPECT_TRUE(out.empty());
  out.append("");
  EXPECT_EQ(out.size(), 0u);
}

}  // namespace
}  // namespace redproof
