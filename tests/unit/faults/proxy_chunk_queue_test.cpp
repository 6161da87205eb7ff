// The queue of held-back bytes: order, byte counts, releases brought forward, and that buffers
// are reused rather than reallocated once the ring has grown.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "faults/proxy/chunk_queue.hpp"

namespace redproof::proxy {
namespace {

using TimePoint = ChunkQueue::TimePoint;
using std::chrono::milliseconds;

TimePoint at(int ms) {
  return TimePoint(milliseconds(ms));
}

void push(ChunkQueue& q, const std::string& s, int release_ms) {
  q.push(s.data(), s.size(), at(release_ms));
}

std::string pop(ChunkQueue& q, std::vector<char>& out) {
  q.pop_into(out);
  return std::string(out.begin(), out.end());
}

TEST(ProxyChunkQueue, FirstInFirstOutWithByteCount) {
  ChunkQueue q;
  EXPECT_TRUE(q.empty());
  push(q, "abc", 1);
  push(q, "de", 2);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.bytes(), 5u);
  EXPECT_EQ(q.front().release, at(1));
  EXPECT_EQ(q.back().release, at(2));
  std::vector<char> out;
  EXPECT_EQ(pop(q, out), "abc");
  EXPECT_EQ(q.bytes(), 2u);
  EXPECT_EQ(pop(q, out), "de");
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.bytes(), 0u);
}

TEST(ProxyChunkQueue, GrowsPastItsRingAndKeepsOrderAcrossTheWrap) {
  ChunkQueue q;
  std::vector<char> out;
  int next_in = 0, next_out = 0;
  // Interleave pushes and pops so the head wraps before the ring has to grow.
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < round % 13 + 1; ++i) {
      push(q, std::to_string(next_in), next_in);
      ++next_in;
    }
    for (int i = 0; i < round % 7 + 1 && !q.empty(); ++i) {
      ASSERT_EQ(pop(q, out), std::to_string(next_out++));
    }
  }
  while (!q.empty()) ASSERT_EQ(pop(q, out), std::to_string(next_out++));
  EXPECT_EQ(next_in, next_out);
}

TEST(ProxyChunkQueue, CloseAfterTravelsWithItsChunk) {
  ChunkQueue q;
  push(q, "x", 0);
  push(q, "y", 0);
  q.back().close_after = true;
  std::vector<char> out;
  EXPECT_FALSE(q.pop_into(out));
  EXPECT_TRUE(q.pop_into(out));
  // A slot reused later starts without the flag.
  push(q, "z", 0);
  push(q, "w", 0);
  EXPECT_FALSE(q.pop_into(out));
  EXPECT_FALSE(q.pop_into(out));
}

TEST(ProxyChunkQueue, ReleaseByOnlyBringsReleasesForward) {
  ChunkQueue q;
  push(q, "a", 5);
  push(q, "b", 50);
  push(q, "c", 500);
  q.release_by(at(20));
  std::vector<TimePoint> releases;
  std::vector<char> out;
  while (!q.empty()) {
    releases.push_back(q.front().release);
    q.pop_into(out);
  }
  EXPECT_EQ(releases, (std::vector<TimePoint>{at(5), at(20), at(20)}));
}

TEST(ProxyChunkQueue, SteadyTrafficReusesTheSameBuffers) {
  // The point of the ring: once warm, a chunk is copied into a buffer that already has the
  // capacity, and the writer's buffer is swapped, not copied. Observed through the data
  // pointers, which stay within one fixed set.
  ChunkQueue q;
  std::vector<char> out;
  std::string chunk(16 * 1024, 'x');
  for (int i = 0; i < 4; ++i) push(q, chunk, 0);
  for (int i = 0; i < 4; ++i) q.pop_into(out);
  std::vector<const char*> warm;
  for (int i = 0; i < 200; ++i) {
    push(q, chunk, 0);
    push(q, chunk, 0);
    q.pop_into(out);
    warm.push_back(out.data());
    q.pop_into(out);
    warm.push_back(out.data());
  }
  std::sort(warm.begin(), warm.end());
  warm.erase(std::unique(warm.begin(), warm.end()), warm.end());
  EXPECT_LE(warm.size(), 9u);  // the ring's 8 slots and the writer's own buffer
}

}  // namespace
}  // namespace redproof::proxy
