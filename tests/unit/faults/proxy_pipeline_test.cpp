// What the toxics of one direction do to chunks, without sockets: the plan the socket code
// carries out (pieces and release times, swallowed bytes, closes and resets).
#include <gtest/gtest.h>

#include <numeric>

#include "faults/proxy/toxic_pipeline.hpp"

namespace redproof::proxy {
namespace {

using std::chrono::milliseconds;

std::size_t forwarded(const ChunkPlan& p) {
  std::size_t n = 0;
  for (const Piece& piece : p.pieces) n += piece.size;
  return n;
}

TEST(ProxyPipeline, NoToxicsForwardsAtOnce) {
  ToxicPipeline p(Random(1));
  auto change = p.set_toxics(Nanos(0), {});
  EXPECT_TRUE(change.flush);
  EXPECT_FALSE(change.close_now);
  auto plan = p.on_data(milliseconds(7), 100);
  ASSERT_EQ(plan.pieces.size(), 1u);
  EXPECT_EQ(plan.pieces[0], (Piece{0, 100, milliseconds(7)}));
  EXPECT_EQ(plan.dropped, 0u);
  EXPECT_FALSE(plan.close_after);
  EXPECT_FALSE(plan.reset_at);
  EXPECT_FALSE(p.close_deadline());
}

TEST(ProxyPipeline, LatencyDelaysEachChunkFromItsArrivalInOrder) {
  ToxicPipeline p(Random(2));
  p.set_toxics(Nanos(0), {parse_toxic("latency:50ms:45ms")});
  Nanos last{0};
  for (int i = 0; i < 1000; ++i) {
    auto plan = p.on_data(milliseconds(i), 10);
    ASSERT_EQ(plan.pieces.size(), 1u);
    Nanos r = plan.pieces[0].release_at;
    ASSERT_GE(r, milliseconds(i + 5));
    ASSERT_GE(r, last);
    last = r;
  }
}

TEST(ProxyPipeline, TimeoutSwallowsAndItsRemovalCloses) {
  ToxicPipeline p(Random(3));
  p.set_toxics(milliseconds(10), {parse_toxic("timeout")});
  EXPECT_TRUE(p.swallowing());
  EXPECT_FALSE(p.close_deadline());  // timeout 0: a black hole until removed
  auto plan = p.on_data(milliseconds(20), 64);
  EXPECT_TRUE(plan.pieces.empty());
  EXPECT_EQ(plan.dropped, 64u);
  auto healed = p.set_toxics(milliseconds(30), {});
  EXPECT_TRUE(healed.close_now);  // as Toxiproxy: the swallowed bytes are never delivered late
}

TEST(ProxyPipeline, TimeoutWithDurationClosesThatLongAfterItStarted) {
  ToxicPipeline p(Random(4));
  Toxic t = parse_toxic("timeout:2s");
  p.set_toxics(milliseconds(100), {t});
  ASSERT_TRUE(p.close_deadline());
  EXPECT_EQ(*p.close_deadline(), milliseconds(2100));
  // Re-applying the same toxic (another toxic added elsewhere) keeps the deadline.
  p.set_toxics(milliseconds(500), {t, parse_toxic("latency:1ms")});
  EXPECT_EQ(*p.close_deadline(), milliseconds(2100));
}

TEST(ProxyPipeline, RemovingOtherToxicsDoesNotClose) {
  ToxicPipeline p(Random(5));
  p.set_toxics(Nanos(0), {parse_toxic("latency:10ms"), parse_toxic("bandwidth:10")});
  auto change = p.set_toxics(milliseconds(1), {parse_toxic("bandwidth:10")});
  EXPECT_FALSE(change.close_now);
  EXPECT_FALSE(change.flush);  // bandwidth still delays
  change = p.set_toxics(milliseconds(2), {});
  EXPECT_FALSE(change.close_now);
  EXPECT_TRUE(change.flush);
  // After the heal, data flows at once even though earlier releases were later.
  auto plan = p.on_data(milliseconds(3), 10);
  EXPECT_EQ(plan.pieces[0].release_at, milliseconds(3));
}

TEST(ProxyPipeline, ResetPeerResetsAfterItsDelayOnData) {
  ToxicPipeline p(Random(6));
  p.set_toxics(Nanos(0), {parse_toxic("reset_peer:100ms")});
  auto plan = p.on_data(milliseconds(40), 10);
  EXPECT_TRUE(plan.pieces.empty());
  EXPECT_EQ(plan.dropped, 10u);
  ASSERT_TRUE(plan.reset_at);
  EXPECT_EQ(*plan.reset_at, milliseconds(140));
  auto later = p.on_data(milliseconds(50), 5);
  EXPECT_FALSE(later.reset_at);  // already scheduled
  EXPECT_EQ(later.dropped, 5u);
}

TEST(ProxyPipeline, LimitDataForwardsExactlyNBytesThenCloses) {
  ToxicPipeline p(Random(7));
  p.set_toxics(Nanos(0), {parse_toxic("limit_data:100")});
  auto a = p.on_data(milliseconds(1), 60);
  EXPECT_EQ(forwarded(a), 60u);
  EXPECT_FALSE(a.close_after);
  auto b = p.on_data(milliseconds(2), 60);
  EXPECT_EQ(forwarded(b), 40u);
  EXPECT_EQ(b.dropped, 20u);
  EXPECT_TRUE(b.close_after);
  auto c = p.on_data(milliseconds(3), 10);
  EXPECT_TRUE(c.pieces.empty());
  EXPECT_EQ(c.dropped, 10u);
}

TEST(ProxyPipeline, LimitDataOfExactlyTheChunkCloses) {
  ToxicPipeline p(Random(8));
  p.set_toxics(Nanos(0), {parse_toxic("limit_data:10")});
  auto a = p.on_data(Nanos(0), 10);
  EXPECT_EQ(forwarded(a), 10u);
  EXPECT_TRUE(a.close_after);
  ToxicPipeline zero(Random(8));
  zero.set_toxics(Nanos(0), {parse_toxic("limit_data:0")});
  auto z = zero.on_data(Nanos(0), 5);
  EXPECT_TRUE(z.pieces.empty());
  EXPECT_TRUE(z.close_after);
}

TEST(ProxyPipeline, SlicerSpacesSlicesByItsDelay) {
  ToxicPipeline p(Random(9));
  p.set_toxics(Nanos(0), {parse_toxic("slicer:10:0:1ms")});
  auto plan = p.on_data(milliseconds(5), 80);
  ASSERT_EQ(plan.pieces.size(), 8u);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < plan.pieces.size(); ++i) {
    EXPECT_EQ(plan.pieces[i].offset, offset);
    EXPECT_EQ(plan.pieces[i].size, 10u);
    EXPECT_EQ(plan.pieces[i].release_at, milliseconds(5 + static_cast<int>(i)));
    offset += plan.pieces[i].size;
  }
}

TEST(ProxyPipeline, LatencySlicerAndBandwidthCompose) {
  ToxicPipeline p(Random(10));
  p.set_toxics(Nanos(0), {parse_toxic("bandwidth:1"), parse_toxic("latency:20ms"),
                          parse_toxic("slicer:100:0")});
  // 1 KB/s: 100 bytes take 100 ms; the first slice is ready at 20 ms (latency).
  auto plan = p.on_data(Nanos(0), 200);
  ASSERT_EQ(plan.pieces.size(), 2u);
  EXPECT_EQ(plan.pieces[0].release_at, milliseconds(120));
  EXPECT_EQ(plan.pieces[1].release_at, milliseconds(220));
  // A chunk arriving at once queues behind on the link.
  auto next = p.on_data(milliseconds(1), 100);
  EXPECT_EQ(next.pieces[0].release_at, milliseconds(320));
}

TEST(ProxyPipeline, AReusedPlanIsClearedAndKeepsItsVector) {
  // The proxy plans every chunk of a direction into one ChunkPlan: nothing may carry over from
  // the previous chunk, and the pieces' vector is reused, not reallocated.
  ToxicPipeline p(Random(12));
  ChunkPlan plan;
  p.set_toxics(Nanos(0), {parse_toxic("slicer:10:0")});
  p.on_data(Nanos(0), 80, plan);
  ASSERT_EQ(plan.pieces.size(), 8u);
  const Piece* storage = plan.pieces.data();
  p.set_toxics(Nanos(0), {parse_toxic("limit_data:25")});
  p.on_data(milliseconds(1), 30, plan);
  ASSERT_EQ(plan.pieces.size(), 1u);
  EXPECT_EQ(plan.pieces[0], (Piece{0, 25, milliseconds(1)}));
  EXPECT_EQ(plan.dropped, 5u);
  EXPECT_TRUE(plan.close_after);
  EXPECT_EQ(plan.pieces.data(), storage);
  ToxicPipeline q(Random(13));
  q.set_toxics(Nanos(0), {parse_toxic("reset_peer")});
  q.on_data(milliseconds(2), 10, plan);
  EXPECT_TRUE(plan.pieces.empty());
  EXPECT_FALSE(plan.close_after);
  EXPECT_EQ(plan.dropped, 10u);
  EXPECT_EQ(plan.reset_at, milliseconds(2));
}

TEST(ProxyPipeline, SameSeedSamePlan) {
  auto run = [](std::uint64_t seed) {
    ToxicPipeline p{Random(seed)};
    p.set_toxics(Nanos(0), {parse_toxic("latency:30ms:20ms"), parse_toxic("slicer:50:30")});
    std::vector<Piece> all;
    for (int i = 0; i < 50; ++i) {
      auto plan = p.on_data(milliseconds(i * 3), 500);
      all.insert(all.end(), plan.pieces.begin(), plan.pieces.end());
    }
    return all;
  };
  EXPECT_EQ(run(11), run(11));
  EXPECT_NE(run(11), run(12));
}

}  // namespace
}  // namespace redproof::proxy
