#include "checkers/pubsub_checker.hpp"

#include <gtest/gtest.h>

#include "history_builder.hpp"

namespace redproof {
namespace {

using namespace testing_history;

std::int64_t count(const CheckResult& r, const std::string& name) {
  return r.details["anomaly_counts"].value(name, std::int64_t{0});
}

void publish(Builder& h, std::int64_t t, std::int64_t p, const std::string& id,
             OpType outcome = kOk) {
  h.add(t, p, kInv, "publish", "c", "\"" + id + "\"").add(t + 1, p, outcome, "publish", "c", "1");
}
void receive(Builder& h, std::int64_t t, std::int64_t p, const std::string& id) {
  h.add(t, p, kInv, "receive", "c").add(t + 1, p, kOk, "receive", "c", "\"" + id + "\"");
}
void subscribe(Builder& h, std::int64_t t, std::int64_t p) {
  h.add(t, p, kInv, "subscribe", "c").add(t + 1, p, kOk, "subscribe", "c");
}

TEST(PubsubChecker, EveryMessagePublishedWhileSubscribedArrives) {
  Builder h;
  subscribe(h, 0, 0);
  publish(h, 10, 5, "a");
  publish(h, 20, 5, "b");
  receive(h, 30, 0, "a");
  receive(h, 40, 0, "b");
  h.add(50, 0, kInv, "unsubscribe", "c").add(60, 0, kOk, "unsubscribe", "c");
  auto r = PubsubChecker().check(h.ops());
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["subscribers"]["0"]["delivery_ratio"], 1.0);
}

TEST(PubsubChecker, AMessageMissingBeforeTheUnsubscribeIsLost) {
  Builder h;
  subscribe(h, 0, 0);
  publish(h, 10, 5, "a");
  publish(h, 20, 5, "b");
  receive(h, 30, 0, "a");
  h.add(50, 0, kInv, "unsubscribe", "c").add(60, 0, kInfo, "unsubscribe", "c");  // dropped
  auto r = PubsubChecker().check(h.ops());
  EXPECT_EQ(r.valid, Validity::kInvalid);
  EXPECT_EQ(count(r, "lost-while-subscribed"), 1);
  EXPECT_EQ(r.anomalies.at(0).magnitude["lost"], 1);
  EXPECT_EQ(r.details["subscribers"]["0"]["delivery_ratio"], 0.5);
}

TEST(PubsubChecker, MessagesArrivingAfterTheUnsubscribeCount) {
  Builder h;
  subscribe(h, 0, 0);
  publish(h, 10, 5, "a");
  h.add(50, 0, kInv, "unsubscribe", "c").add(60, 0, kOk, "unsubscribe", "c");
  receive(h, 70, 0, "a");
  EXPECT_EQ(PubsubChecker().check(h.ops()).valid, Validity::kValid);
}

TEST(PubsubChecker, APublishCompletingAfterTheUnsubscribeInvokeNeedNotArrive) {
  Builder h;
  subscribe(h, 0, 0);
  h.add(10, 5, kInv, "publish", "c", "\"a\"");
  h.add(50, 0, kInv, "unsubscribe", "c");
  h.add(55, 5, kOk, "publish", "c", "1");
  h.add(60, 0, kOk, "unsubscribe", "c");
  EXPECT_EQ(PubsubChecker().check(h.ops()).valid, Validity::kValid);
}

TEST(PubsubChecker, ALaterMessageFromTheSamePublisherProvesTheEarlierWasDue) {
  Builder h;
  subscribe(h, 0, 0);
  publish(h, 10, 5, "a");
  publish(h, 20, 5, "b");
  publish(h, 22, 6, "x");  // another publisher: nothing proves it was delivered
  receive(h, 30, 0, "b");
  // never unsubscribes: only "b" bounds the subscription
  auto r = PubsubChecker().check(h.ops());
  EXPECT_EQ(count(r, "lost-while-subscribed"), 1);
  EXPECT_EQ(r.anomalies.at(0).magnitude["first_lost"], "a");
  EXPECT_EQ(r.anomalies.at(0).magnitude["lost"], 1);
}

TEST(PubsubChecker, APublishStraddlingTheSubscribeIsOnlyMissedBeforeSubscribe) {
  Builder h;
  h.add(0, 0, kInv, "subscribe", "c");
  h.add(5, 5, kInv, "publish", "c", "\"a\"");
  h.add(10, 0, kOk, "subscribe", "c");
  h.add(15, 5, kOk, "publish", "c", "0");
  publish(h, 20, 5, "b");
  receive(h, 30, 0, "b");
  h.add(50, 0, kInv, "unsubscribe", "c").add(60, 0, kOk, "unsubscribe", "c");
  auto r = PubsubChecker().check(h.ops());
  EXPECT_EQ(r.valid, Validity::kValid);
  EXPECT_EQ(r.details["missed_before_subscribe"], 1);
  EXPECT_EQ(count(r, "missed-before-subscribe"), 1);
}

TEST(PubsubChecker, UnknownOrFailedPublishesAreNeverDue) {
  Builder h;
  subscribe(h, 0, 0);
  publish(h, 10, 5, "a", kInfo);
  publish(h, 20, 6, "b", kFail);
  h.add(50, 0, kInv, "unsubscribe", "c").add(60, 0, kOk, "unsubscribe", "c");
  EXPECT_EQ(PubsubChecker().check(h.ops()).valid, Validity::kValid);
}

TEST(PubsubChecker, EachSubscriptionIsJudgedAlone) {
  Builder h;
  subscribe(h, 0, 0);
  publish(h, 10, 5, "a");
  receive(h, 12, 0, "a");
  h.add(14, 0, kInv, "unsubscribe", "c").add(15, 0, kOk, "unsubscribe", "c");
  publish(h, 20, 5, "b");  // between subscriptions: not due
  subscribe(h, 30, 0);
  publish(h, 40, 5, "c");
  h.add(50, 0, kInv, "unsubscribe", "c").add(60, 0, kOk, "unsubscribe", "c");
  auto r = PubsubChecker().check(h.ops());
  EXPECT_EQ(count(r, "lost-while-subscribed"), 1);
  EXPECT_EQ(r.anomalies.at(0).magnitude["first_lost"], "c");
}

}  // namespace
}  // namespace redproof
