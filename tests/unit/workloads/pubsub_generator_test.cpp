// The subscriber's life in simulated time: subscribe, receive for the hold, unsubscribe, take
// what arrived meanwhile, again; a slow subscriber stalls first; a lost subscription goes
// straight to the unsubscribe.
#include "workloads/pubsub/pubsub_generator.hpp"

#include <gtest/gtest.h>

namespace redproof::pubsub {
namespace {

constexpr std::int64_t kMs = 1'000'000;

Op completion(const GeneratorStep& s, OpType type, std::string error = {}) {
  Op c = s.op;
  c.type = type;
  c.error = std::move(error);
  return c;
}

TEST(SubscriberGenerator, HoldsThenUnsubscribesAndDrains) {
  SubscriberGenerator g({1, 100 * kMs, 0, 1000 * kMs}, Random(1));
  auto s = g.next(0);
  ASSERT_EQ(s.op.f, "subscribe");
  EXPECT_EQ(*s.op.key, "channel:0");
  g.update(completion(s, OpType::kOk));
  s = g.next(10 * kMs);
  EXPECT_EQ(s.op.f, "receive");
  g.update(completion(s, OpType::kFail, "nothing received"));
  s = g.next(50 * kMs);
  EXPECT_EQ(s.op.f, "receive");
  g.update(completion(s, OpType::kOk));
  s = g.next(111 * kMs);
  ASSERT_EQ(s.op.f, "unsubscribe");
  g.update(completion(s, OpType::kOk));
  s = g.next(112 * kMs);
  EXPECT_EQ(s.op.f, "receive");  // what arrived while unsubscribing
  g.update(completion(s, OpType::kOk));
  s = g.next(113 * kMs);
  EXPECT_EQ(s.op.f, "receive");
  g.update(completion(s, OpType::kFail, "nothing buffered"));
  EXPECT_EQ(g.next(114 * kMs).op.f, "subscribe");
}

TEST(SubscriberGenerator, ASlowSubscriberStallsBeforeItsHold) {
  SubscriberGenerator g({1, 100 * kMs, 500 * kMs, 10'000 * kMs}, Random(1));
  auto s = g.next(0);
  g.update(completion(s, OpType::kOk));
  s = g.next(1 * kMs);
  ASSERT_EQ(s.kind, GeneratorStep::Kind::kWait);
  EXPECT_EQ(s.wait_ns, 500 * kMs);
  EXPECT_EQ(g.next(501 * kMs).op.f, "receive");  // the hold starts now, not at the subscribe
}

TEST(SubscriberGenerator, ALostSubscriptionIsUnsubscribedAndEndsInAFreshOne) {
  SubscriberGenerator g({1, 100 * kMs, 0, 10'000 * kMs}, Random(1));
  auto s = g.next(0);
  g.update(completion(s, OpType::kOk));
  s = g.next(1 * kMs);
  g.update(completion(s, OpType::kFail, "subscription lost: connection closed by the server"));
  s = g.next(2 * kMs);
  ASSERT_EQ(s.op.f, "unsubscribe");
  g.update(completion(s, OpType::kInfo));
  g.process_replaced();
  EXPECT_EQ(g.next(3 * kMs).op.f, "subscribe");
}

TEST(SubscriberGenerator, StopsAfterTheLoadEnds) {
  SubscriberGenerator g({1, 100 * kMs, 0, 50 * kMs}, Random(1));
  auto s = g.next(0);
  g.update(completion(s, OpType::kOk));
  s = g.next(60 * kMs);
  ASSERT_EQ(s.op.f, "unsubscribe");
  g.update(completion(s, OpType::kOk));
  s = g.next(61 * kMs);
  g.update(completion(s, OpType::kFail, "nothing buffered"));
  EXPECT_EQ(g.next(62 * kMs).kind, GeneratorStep::Kind::kDone);
}

TEST(PublisherGenerator, MessageIdsAreUniquePerWorker) {
  PublisherGenerator g(7, 3, Random(1));
  EXPECT_EQ(g.next(0).op.value, "\"w7-1\"");
  EXPECT_EQ(g.next(0).op.value, "\"w7-2\"");
}

}  // namespace
}  // namespace redproof::pubsub
