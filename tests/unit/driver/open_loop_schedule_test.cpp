#include "driver/load/open_loop_schedule.hpp"

#include <gtest/gtest.h>

namespace redproof::load {
namespace {

TEST(OpenLoopSchedule, ClosedLoopHasNoSlots) {
  OpenLoopSchedule s;
  EXPECT_FALSE(s.open_loop());
  EXPECT_FALSE(s.has_slot());
  EXPECT_FALSE(s.due(1'000'000'000));
  EXPECT_EQ(s.unsent(), 0u);
  OpenLoopSchedule zero(0, 4, 1, 0, 1'000'000'000);
  EXPECT_FALSE(zero.open_loop());
}

// 4 senders at 400/s: each sends every 10 ms, sender i starting i * 2.5 ms after the start.
TEST(OpenLoopSchedule, SendersShareTheRateStaggeredOverOneInterval) {
  const std::int64_t start = 1'000'000;
  for (int i = 0; i < 4; ++i) {
    OpenLoopSchedule s(400, 4, i, start, start + 1'000'000'000);
    EXPECT_EQ(s.next_ns(), start + i * 2'500'000);
    EXPECT_FALSE(s.due(s.next_ns() - 1));
    EXPECT_TRUE(s.due(s.next_ns()));
    EXPECT_EQ(s.take(), start + i * 2'500'000);
    EXPECT_EQ(s.take(), start + i * 2'500'000 + 10'000'000);
  }
}

// A stalled server: the sender falls behind, and every slot it missed is still taken, each
// with its own intended start, so latency counted from them shows the stall.
TEST(OpenLoopSchedule, LateSlotsKeepTheirTimesAndNoneIsSkipped) {
  OpenLoopSchedule s(1000, 1, 0, 0, 1'000'000'000);  // every 1 ms
  EXPECT_EQ(s.take(), 0);
  const std::int64_t now = 50'000'000;  // woke 50 ms later
  int taken = 0;
  std::int64_t last = 0;
  while (s.due(now)) {
    last = s.take();
    ++taken;
  }
  EXPECT_EQ(taken, 50);  // the slots at 1, 2, ..., 50 ms
  EXPECT_EQ(last, 50'000'000);
  EXPECT_EQ(s.next_ns(), 51'000'000);
}

// Slots that fall due while the sender chose to wait (think time) are dropped; slots already
// overdue when the wait began are the system's backlog and stay.
TEST(OpenLoopSchedule, AChosenWaitDropsOnlyTheSlotsDuringIt) {
  OpenLoopSchedule s(1000, 1, 0, 0, 1'000'000'000);
  s.take();                            // slot 0
  s.skip_wait(500'000, 10'500'000);    // waited from 0.5 ms to 10.5 ms
  EXPECT_EQ(s.next_ns(), 11'000'000);  // slots 1..10 ms fell during the wait
  OpenLoopSchedule behind(1000, 1, 0, 0, 1'000'000'000);
  behind.take();                            // slot 0; slot 1 ms is overdue at 3 ms
  behind.skip_wait(3'000'000, 20'000'000);  // a wait that began behind schedule
  EXPECT_EQ(behind.next_ns(), 1'000'000);   // the backlog stays
}

TEST(OpenLoopSchedule, SlotsLeftAtTheEndAreCountedUnsent) {
  OpenLoopSchedule s(1000, 1, 0, 0, 10'000'000);  // 10 slots in 10 ms
  for (int i = 0; i < 4; ++i) s.take();
  EXPECT_EQ(s.unsent(), 6u);
  for (int i = 0; i < 6; ++i) s.take();
  EXPECT_FALSE(s.has_slot());
  EXPECT_EQ(s.unsent(), 0u);
}

// A fractional interval keeps its exact rate: 3 per second over 7 senders.
TEST(OpenLoopSchedule, AFractionalIntervalDoesNotDrift) {
  OpenLoopSchedule s(3, 7, 0, 0, 1'000'000'000'000);  // every 2.333... s
  std::int64_t t = 0;
  for (int i = 0; i < 300; ++i) t = s.take();
  EXPECT_NEAR(static_cast<double>(t), 299 * 7e9 / 3, 1.0);
}

}  // namespace
}  // namespace redproof::load
